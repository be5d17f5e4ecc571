using AnomalyDetection.Metrics;
using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>Builds the precision–recall figure: the step curve whose area is the average precision (AP in the title
/// and legend), the chance level (the anomalous fraction), and optionally the threshold's operating point.</summary>
internal static class PrecisionRecallPlot
{
    public const string Name = "precision-recall curve";

    public static Plot Build(float[] scores, bool[] labels, int normal, int anomalous, double? threshold)
    {
        var curve = BinaryScoreMetrics.PrecisionRecallCurve(scores, labels);
        var averagePrecision = BinaryScoreMetrics.AveragePrecision(scores, labels);
        var plot = new Plot();

        var prevalence = (double)anomalous / (normal + anomalous);
        var chance = plot.Add.Line(0, prevalence, 1, prevalence);
        chance.LineColor = PlotColours.Chance;
        chance.LinePattern = LinePattern.Dashed;
        chance.LineWidth = 1.5f;
        chance.LegendText = $"chance (anomalous fraction {PlotText.Metric(prevalence)})";

        // Drawn as the steps that average precision sums, Σ (R_k − R_{k−1}) · P_k: each recall gain is drawn at the
        // precision reached at its end, so the area under the line is the AP in the legend.
        var recalls = new List<double>(2 * curve.Length);
        var precisions = new List<double>(2 * curve.Length);
        for (var k = 1; k < curve.Length; k++)
        {
            recalls.Add(curve[k - 1].Recall);
            precisions.Add(curve[k].Precision);
            recalls.Add(curve[k].Recall);
            precisions.Add(curve[k].Precision);
        }

        var line = plot.Add.ScatterLine(recalls.ToArray(), precisions.ToArray());
        line.Color = PlotColours.Curve;
        line.LineWidth = 2;
        line.LegendText = $"detector (AP {PlotText.Metric(averagePrecision)})";

        if (threshold is { } t && OperatingPoint.At(t, scores, labels) is { Precision: { } precision } point)
        {
            var marker = plot.Add.Marker(point.TruePositiveRate, precision);
            marker.Color = PlotColours.Threshold;
            marker.Size = 12;
            marker.LegendText = $"threshold {PlotText.Score(t)}: recall {PlotText.Percent(point.TruePositiveRate)}, precision {PlotText.Percent(precision)}";
        }

        plot.Title($"Precision–recall curve, AP {PlotText.Metric(averagePrecision)} ({normal} normal, {anomalous} anomalous)");
        plot.XLabel("recall (true positive rate)");
        plot.YLabel("precision");
        UnitSquareAxes.Apply(plot);
        plot.ShowLegend(Alignment.LowerLeft);
        EmbeddedFont.Apply(plot);
        return plot;
    }
}
