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
        var tallest = Math.Max(
            AddClass(plot, scores, labels, isAnomalous: false, normal, low, width, binCount, PlotColours.Normal, $"normal ({normal})"),
            AddClass(plot, scores, labels, isAnomalous: true, anomalous, low, width, binCount, PlotColours.Anomalous, $"anomalous ({anomalous})"));

        var point = OperatingPoint.At(threshold, scores, labels);
        var line = plot.Add.VerticalLine(threshold);
        line.Color = PlotColours.Threshold;
        line.LineWidth = 3;
        // Without anti-aliasing the line keeps its exact colour, which makes it easy to spot (and to test).
        line.LineStyle.AntiAlias = false;
        // Only the classes present: "0% of anomalous" would be a claim about images that are not there.
        var shares = new List<string>(2);
        if (anomalous > 0)
        {
            shares.Add($"{PlotText.Percent(point.TruePositiveRate)} of anomalous");
        }

        if (normal > 0)
        {
            shares.Add($"{PlotText.Percent(point.FalsePositiveRate)} of normal");
        }

        line.LegendText = $"threshold {PlotText.Score(threshold)}: flags {string.Join(", ", shares)}";

        var classes = (normal > 0, anomalous > 0) switch
        {
            (true, true) => "normal vs anomalous",
            (true, false) => "normal images only",
            _ => "anomalous images only",
        };
        plot.Title($"Anomaly scores, {classes}, threshold {PlotText.Score(threshold)}");
        plot.XLabel("anomaly score (at or above the threshold = anomalous)");
        plot.YLabel("fraction of the class's images");
        // Headroom above the tallest bar keeps the legend (upper right) from hiding bars.
        plot.Axes.SetLimits(low - (0.5 * width), low + ((binCount + 0.5) * width), 0, tallest * 1.45);
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

    /// <summary>Adds one class's bars and returns the tallest bar's height (0 for an empty class).</summary>
    private static double AddClass(
        Plot plot, float[] scores, bool[] labels, bool isAnomalous, int classCount, double low, double width, int binCount, Color colour, string legend)
    {
        if (classCount == 0)
        {
            return 0;
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
        return fractions.Max();
    }
}
