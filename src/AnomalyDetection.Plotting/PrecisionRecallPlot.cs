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
        CurveFigure.AddChanceLine(plot, 0, prevalence, 1, prevalence, $"chance (anomalous fraction {PlotText.Metric(prevalence)})");

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

        CurveFigure.AddCurve(plot, recalls.ToArray(), precisions.ToArray(), $"detector (AP {PlotText.Metric(averagePrecision)})");
        if (threshold is { } t && OperatingPoint.At(t, scores, labels) is { Precision: { } precision } point)
        {
            CurveFigure.AddOperatingPoint(
                plot,
                point.TruePositiveRate,
                precision,
                $"threshold {PlotText.Score(t)}: recall {PlotText.Percent(point.TruePositiveRate)}, precision {PlotText.Percent(precision)}");
        }

        return CurveFigure.Finish(
            plot,
            $"Precision–recall curve, AP {PlotText.Metric(averagePrecision)} ({normal} normal, {anomalous} anomalous)",
            "recall (true positive rate)",
            "precision",
            Alignment.LowerLeft);
    }
}
