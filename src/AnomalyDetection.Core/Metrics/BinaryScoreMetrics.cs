namespace AnomalyDetection.Metrics;

/// <summary>
/// Ranking metrics of anomaly scores against binary labels (<c>true</c> = anomalous), computed exactly.
/// </summary>
/// <remarks>
/// <para>A sample is called anomalous when its score is at or above the threshold (score ≥ threshold). Tied scores
/// share one threshold, so they move together along every curve.</para>
/// <para>The definitions follow scikit-learn: AUROC is the trapezoid area under the ROC curve, so a tied
/// (anomalous, normal) pair counts as half a correct ordering (the Mann–Whitney U statistic divided by P·N); average
/// precision is the step sum Σ (R_k − R_{k−1}) · P_k over descending thresholds, without interpolation.</para>
/// <para>These metrics are undefined when one class is missing: every method then throws an
/// <see cref="ArgumentException"/> rather than returning NaN, so an empty class cannot slip silently into a
/// report.</para>
/// </remarks>
public static class BinaryScoreMetrics
{
    /// <summary>The area under the ROC curve.</summary>
    /// <param name="scores">One finite score per sample; higher means more anomalous.</param>
    /// <param name="labels">One label per sample; <c>true</c> = anomalous.</param>
    /// <returns>The AUROC in [0, 1]: 1 for a perfect ranking, 0 for an inverted one, 0.5 when all scores are equal.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static double Auroc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        ScoreInput.SweepWithBothClasses(scores, labels, "AUROC").Auroc();

    /// <summary>
    /// The AUROC of <paramref name="anomalous"/> scores against <paramref name="normal"/> ones: how well a detector
    /// separates two groups of images. A non-finite score counts as the most anomalous, so a NaN is never ranked normal.
    /// </summary>
    /// <param name="normal">The scores of the images taken as normal; at least one.</param>
    /// <param name="anomalous">The scores of the images taken as anomalous; at least one.</param>
    /// <returns>The AUROC in [0, 1]; 0.5 when all scores are equal.</returns>
    /// <exception cref="ArgumentException">A group is empty.</exception>
    public static double SeparationAuroc(ReadOnlySpan<float> normal, ReadOnlySpan<float> anomalous)
    {
        var scores = new float[normal.Length + anomalous.Length];
        normal.CopyTo(scores);
        anomalous.CopyTo(scores.AsSpan(normal.Length));
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = float.IsFinite(scores[i]) ? scores[i] : float.MaxValue;
        }

        var labels = new bool[scores.Length];
        labels.AsSpan(normal.Length).Fill(true);
        return Auroc(scores, labels);
    }

    /// <summary>The average precision (area under the step precision–recall curve).</summary>
    /// <param name="scores">One finite score per sample; higher means more anomalous.</param>
    /// <param name="labels">One label per sample; <c>true</c> = anomalous.</param>
    /// <returns>The average precision in (0, 1]; it equals the anomalous fraction when all scores are equal.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        ScoreInput.SweepWithBothClasses(scores, labels, "Average precision").AveragePrecision();

    /// <summary>The best F1 score over all thresholds, and the highest threshold that attains it.</summary>
    /// <param name="scores">One finite score per sample; higher means more anomalous.</param>
    /// <param name="labels">One label per sample; <c>true</c> = anomalous.</param>
    /// <returns>The F1-max and its threshold (an observed score).</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static OptimalThreshold F1Max(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        ScoreInput.SweepWithBothClasses(scores, labels, "F1-max").BestF1();

    /// <summary>The ROC curve at every distinct score, in descending threshold order.</summary>
    /// <param name="scores">One finite score per sample; higher means more anomalous.</param>
    /// <param name="labels">One label per sample; <c>true</c> = anomalous.</param>
    /// <returns>The origin (threshold +∞), then one point per distinct score, ending at (1, 1). Unlike
    /// scikit-learn's default, collinear points are kept.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static RocPoint[] RocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        ScoreInput.SweepWithBothClasses(scores, labels, "The ROC curve").RocCurve();

    /// <summary>The precision–recall curve at every distinct score, in descending threshold order.</summary>
    /// <param name="scores">One finite score per sample; higher means more anomalous.</param>
    /// <param name="labels">One label per sample; <c>true</c> = anomalous.</param>
    /// <returns>The start (threshold +∞, recall 0, precision 1), then one point per distinct score, ending at
    /// recall 1 with precision equal to the anomalous fraction: the points of scikit-learn's precision_recall_curve in
    /// reverse order, with every distinct score kept.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, or one
    /// class is missing.</exception>
    public static PrecisionRecallPoint[] PrecisionRecallCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        ScoreInput.SweepWithBothClasses(scores, labels, "The precision-recall curve").PrecisionRecallCurve();
}
