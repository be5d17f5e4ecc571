using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>
/// Pictures of how well anomaly scores separate normal from anomalous images: the ROC curve, the precision–recall
/// curve and the score histogram with the decision threshold. Each is returned as PNG bytes or written atomically to
/// a PNG file.
/// </summary>
/// <remarks>
/// <para>Scores follow Core's convention: higher is more anomalous, and an image is called anomalous when its score is
/// at or above the threshold. Labels are <c>true</c> for anomalous images.</para>
/// <para>Text is drawn with DejaVu Sans embedded in this assembly, so pictures look the same on machines without
/// installed fonts. The methods are safe to call from several threads at once.</para>
/// </remarks>
public static class EvaluationPlots
{
    /// <summary>The default picture width in pixels.</summary>
    public const int DefaultWidth = 800;

    /// <summary>The default picture height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>The smallest width or height accepted, in pixels: below it labels no longer fit.</summary>
    public const int MinimumSide = 200;

    /// <summary>The largest width or height accepted, in pixels.</summary>
    public const int MaximumSide = 8192;

    /// <summary>Renders the ROC curve with the chance diagonal, AUROC in the title and legend, and, when
    /// <paramref name="threshold"/> is given, its operating point (sensitivity and specificity) marked.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous. Both classes must be present.</param>
    /// <param name="threshold">The decision threshold to mark, or <see langword="null"/>.</param>
    /// <param name="width">The picture's width in pixels.</param>
    /// <param name="height">The picture's height in pixels.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a score or the threshold is not
    /// finite, or one class is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [<see cref="MinimumSide"/>, <see cref="MaximumSide"/>].</exception>
    public static byte[] RenderRoc(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double? threshold = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        var (s, l, normal, anomalous) = ScoreLabelInput.Check(scores, labels, RocPlot.Name, needsBothClasses: true);
        ScoreLabelInput.CheckThreshold(threshold, RocPlot.Name);
        ScoreLabelInput.CheckSize(width, height);
        return ToPng(RocPlot.Build(s, l, normal, anomalous, threshold), width, height);
    }

    /// <summary>Renders the precision–recall curve with average precision (AP) in the title and legend, the chance level
    /// (the anomalous fraction) and, when <paramref name="threshold"/> is given, its operating point.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous. Both classes must be present.</param>
    /// <param name="threshold">The decision threshold to mark, or <see langword="null"/>.</param>
    /// <param name="width">The picture's width in pixels.</param>
    /// <param name="height">The picture's height in pixels.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a score or the threshold is not
    /// finite, or one class is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [<see cref="MinimumSide"/>, <see cref="MaximumSide"/>].</exception>
    public static byte[] RenderPrecisionRecall(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double? threshold = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        var (s, l, normal, anomalous) = ScoreLabelInput.Check(scores, labels, PrecisionRecallPlot.Name, needsBothClasses: true);
        ScoreLabelInput.CheckThreshold(threshold, PrecisionRecallPlot.Name);
        ScoreLabelInput.CheckSize(width, height);
        return ToPng(PrecisionRecallPlot.Build(s, l, normal, anomalous, threshold), width, height);
    }

    /// <summary>Renders a histogram of normal and anomalous images' scores (each class as a fraction of its own count)
    /// with the decision threshold as a vertical line; the legend says which share of each class it flags.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous. One class alone is allowed (for example
    /// the normal validation images a threshold was calibrated on).</param>
    /// <param name="threshold">The decision threshold.</param>
    /// <param name="width">The picture's width in pixels.</param>
    /// <param name="height">The picture's height in pixels.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a score or the threshold is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [<see cref="MinimumSide"/>, <see cref="MaximumSide"/>].</exception>
    public static byte[] RenderScoreHistogram(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double threshold, int width = DefaultWidth, int height = DefaultHeight)
    {
        var (s, l, normal, anomalous) = ScoreLabelInput.Check(scores, labels, ScoreHistogramPlot.Name, needsBothClasses: false);
        ScoreLabelInput.CheckThreshold(threshold, ScoreHistogramPlot.Name);
        ScoreLabelInput.CheckSize(width, height);
        return ToPng(ScoreHistogramPlot.Build(s, l, normal, anomalous, threshold), width, height);
    }

    /// <summary>Writes <see cref="RenderRoc"/>'s picture to a PNG file atomically (a temporary file renamed over the
    /// target), creating the folder if needed.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous. Both classes must be present.</param>
    /// <param name="path">The PNG file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="threshold">The decision threshold to mark, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">The input is invalid (see <see cref="RenderRoc"/>) or the path is empty.</exception>
    public static Task SaveRocAsync(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, string path, double? threshold = null, CancellationToken cancellationToken = default) =>
        AtomicPng.WriteAsync(path, RenderRoc(scores, labels, threshold), cancellationToken);

    /// <summary>Writes <see cref="RenderPrecisionRecall"/>'s picture to a PNG file atomically, creating the folder if needed.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous. Both classes must be present.</param>
    /// <param name="path">The PNG file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="threshold">The decision threshold to mark, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">The input is invalid (see <see cref="RenderPrecisionRecall"/>) or the path is empty.</exception>
    public static Task SavePrecisionRecallAsync(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, string path, double? threshold = null, CancellationToken cancellationToken = default) =>
        AtomicPng.WriteAsync(path, RenderPrecisionRecall(scores, labels, threshold), cancellationToken);

    /// <summary>Writes <see cref="RenderScoreHistogram"/>'s picture to a PNG file atomically, creating the folder if needed.</summary>
    /// <param name="scores">One finite score per image; higher is more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous.</param>
    /// <param name="threshold">The decision threshold.</param>
    /// <param name="path">The PNG file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">The input is invalid (see <see cref="RenderScoreHistogram"/>) or the path is empty.</exception>
    public static Task SaveScoreHistogramAsync(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double threshold, string path, CancellationToken cancellationToken = default) =>
        AtomicPng.WriteAsync(path, RenderScoreHistogram(scores, labels, threshold), cancellationToken);

    private static byte[] ToPng(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);
}
