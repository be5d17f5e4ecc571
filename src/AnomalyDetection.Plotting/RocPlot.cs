using AnomalyDetection.Metrics;
using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>Builds the ROC figure: the curve from <see cref="BinaryScoreMetrics.RocCurve"/>, the dashed chance
/// diagonal, AUROC in the title and the legend, and optionally the threshold's operating point.</summary>
internal static class RocPlot
{
    public const string Name = "ROC curve";

    public static Plot Build(float[] scores, bool[] labels, int normal, int anomalous, double? threshold)
    {
        var curve = BinaryScoreMetrics.RocCurve(scores, labels);
        var auroc = BinaryScoreMetrics.Auroc(scores, labels);
        var plot = new Plot();

        CurveFigure.AddChanceLine(plot, 0, 0, 1, 1, "chance (AUROC 0.5)");
        CurveFigure.AddCurve(
            plot,
            curve.Select(p => p.FalsePositiveRate).ToArray(),
            curve.Select(p => p.TruePositiveRate).ToArray(),
            $"detector (AUROC {PlotText.Metric(auroc)})");
        if (threshold is { } t)
        {
            var point = OperatingPoint.At(t, scores, labels);
            CurveFigure.AddOperatingPoint(
                plot,
                point.FalsePositiveRate,
                point.TruePositiveRate,
                $"threshold {PlotText.Score(t)}: sensitivity {PlotText.Percent(point.TruePositiveRate)}, specificity {PlotText.Percent(1 - point.FalsePositiveRate)}");
        }

        return CurveFigure.Finish(
            plot,
            $"ROC curve, AUROC {PlotText.Metric(auroc)} ({normal} normal, {anomalous} anomalous)",
            "false positive rate",
            "true positive rate",
            Alignment.LowerRight);
    }
}
