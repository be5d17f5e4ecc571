namespace AnomalyDetection.Metrics;

/// <summary>Image-level detection metrics: one anomaly score per image against its normal/anomalous label.</summary>
/// <param name="Auroc">The area under the ROC curve.</param>
/// <param name="AveragePrecision">The average precision.</param>
/// <param name="F1Max">The best F1 over all thresholds.</param>
/// <param name="F1MaxThreshold">The highest score threshold attaining <paramref name="F1Max"/>.</param>
/// <param name="NormalCount">The number of normal images.</param>
/// <param name="AnomalousCount">The number of anomalous images.</param>
/// <remarks>The definitions are those of <see cref="BinaryScoreMetrics"/>.</remarks>
public sealed record ImageLevelMetrics(
    double Auroc,
    double AveragePrecision,
    double F1Max,
    double F1MaxThreshold,
    int NormalCount,
    int AnomalousCount)
{
    /// <summary>Computes every image-level metric in one pass over the sorted scores.</summary>
    /// <param name="scores">One finite score per image; higher means more anomalous.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static ImageLevelMetrics Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var sweep = ScoreInput.SweepWithBothClasses(scores, labels, "Image-level evaluation");
        var f1 = sweep.BestF1();
        return new ImageLevelMetrics(
            sweep.Auroc(),
            sweep.AveragePrecision(),
            f1.Value,
            f1.Threshold,
            (int)sweep.Negatives,
            (int)sweep.Positives);
    }
}
