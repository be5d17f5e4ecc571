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

        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = PlotColours.Chance;
        chance.LinePattern = LinePattern.Dashed;
        chance.LineWidth = 1.5f;
        chance.LegendText = "chance (AUROC 0.5)";

        var line = plot.Add.ScatterLine(
            curve.Select(p => p.FalsePositiveRate).ToArray(),
            curve.Select(p => p.TruePositiveRate).ToArray());
        line.Color = PlotColours.Curve;
        line.LineWidth = 2;
        line.LegendText = $"detector (AUROC {PlotText.Metric(auroc)})";

        if (threshold is { } t)
        {
            var point = OperatingPoint.At(t, scores, labels);
            var marker = plot.Add.Marker(point.FalsePositiveRate, point.TruePositiveRate);
            marker.Color = PlotColours.Threshold;
            marker.Size = 12;
            marker.LegendText = $"threshold {PlotText.Score(t)}: sensitivity {PlotText.Percent(point.TruePositiveRate)}, specificity {PlotText.Percent(1 - point.FalsePositiveRate)}";
        }

        plot.Title($"ROC curve, AUROC {PlotText.Metric(auroc)} ({normal} normal, {anomalous} anomalous)");
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        UnitSquareAxes.Apply(plot);
        plot.ShowLegend(Alignment.LowerRight);
        EmbeddedFont.Apply(plot);
        return plot;
    }
}
