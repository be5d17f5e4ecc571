using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>Builds the score histogram: normal and anomalous images' scores in shared bins, each class as a fraction of
/// its own count (so a small anomalous set is not dwarfed), and the decision threshold as a vertical line.</summary>
internal static class ScoreHistogramPlot
{
    public const string Name = "score histogram";

    public static Plot Build(float[] scores, bool[] labels, int normal, int anomalous, double threshold)
    {
        var (low, width, binCount) = Bins(scores, threshold);
        var plot = new Plot();
        AddClass(plot, scores, labels, isAnomalous: false, normal, low, width, binCount, PlotColours.Normal, $"normal ({normal})");
        AddClass(plot, scores, labels, isAnomalous: true, anomalous, low, width, binCount, PlotColours.Anomalous, $"anomalous ({anomalous})");

        var point = OperatingPoint.At(threshold, scores, labels);
        var line = plot.Add.VerticalLine(threshold);
        line.Color = PlotColours.Threshold;
        line.LineWidth = 3;
        // Without anti-aliasing the line keeps its exact colour, which makes it easy to spot (and to test).
        line.LineStyle.AntiAlias = false;
        line.LegendText = $"threshold {PlotText.Score(threshold)}: flags {PlotText.Percent(point.TruePositiveRate)} of anomalous, {PlotText.Percent(point.FalsePositiveRate)} of normal";

        plot.Title($"Anomaly scores, normal vs anomalous, threshold {PlotText.Score(threshold)}");
        plot.XLabel("anomaly score (at or above the threshold = anomalous)");
        plot.YLabel("fraction of the class's images");
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(low - (0.5 * width), low + ((binCount + 0.5) * width));
        plot.ShowLegend(Alignment.UpperRight);
        EmbeddedFont.Apply(plot);
        return plot;
    }

    /// <summary>Bins spanning every score and the threshold; about √n of them, between 10 and 50.</summary>
    private static (double Low, double Width, int Count) Bins(float[] scores, double threshold)
    {
        double low = Math.Min(scores.Min(), threshold);
        double high = Math.Max(scores.Max(), threshold);
        if (!(high > low))
        {
            // One value everywhere: a bin either side of it keeps the plot readable.
            var pad = Math.Max(Math.Abs(low) * 0.05, 1e-3);
            (low, high) = (low - pad, high + pad);
        }

        var count = Math.Clamp((int)Math.Round(Math.Sqrt(scores.Length)), 10, 50);
        return (low, (high - low) / count, count);
    }

    private static void AddClass(
        Plot plot, float[] scores, bool[] labels, bool isAnomalous, int classCount, double low, double width, int binCount, Color colour, string legend)
    {
        if (classCount == 0)
        {
            return;
        }

        var fractions = new double[binCount];
        for (var i = 0; i < scores.Length; i++)
        {
            if (labels[i] == isAnomalous)
            {
                // The top edge belongs to the last bin.
                var bin = Math.Min((int)((scores[i] - low) / width), binCount - 1);
                fractions[bin] += 1.0 / classCount;
            }
        }

        var centres = Enumerable.Range(0, binCount).Select(b => low + ((b + 0.5) * width)).ToArray();
        var bars = plot.Add.Bars(centres, fractions);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width;
            bar.FillColor = colour.WithAlpha(0.5);
            bar.LineColor = colour;
            bar.LineWidth = 1;
        }

        bars.LegendText = legend;
    }
}
