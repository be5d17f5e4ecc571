using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>What the ROC and precision–recall figures share: the dashed chance line, the threshold's operating point
/// and the unit-square frame with title, axis labels, legend and the embedded font.</summary>
internal static class CurveFigure
{
    public static void AddChanceLine(Plot plot, double x1, double y1, double x2, double y2, string legend)
    {
        var chance = plot.Add.Line(x1, y1, x2, y2);
        chance.LineColor = PlotColours.Chance;
        chance.LinePattern = LinePattern.Dashed;
        chance.LineWidth = 1.5f;
        chance.LegendText = legend;
    }

    public static void AddCurve(Plot plot, double[] xs, double[] ys, string legend)
    {
        var line = plot.Add.ScatterLine(xs, ys);
        line.Color = PlotColours.Curve;
        line.LineWidth = 2;
        line.LegendText = legend;
    }

    public static void AddOperatingPoint(Plot plot, double x, double y, string legend)
    {
        var marker = plot.Add.Marker(x, y);
        marker.Color = PlotColours.Threshold;
        marker.Size = 12;
        marker.LegendText = legend;
    }

    public static Plot Finish(Plot plot, string title, string xLabel, string yLabel, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        UnitSquareAxes.Apply(plot);
        plot.ShowLegend(legend);
        EmbeddedFont.Apply(plot);
        return plot;
    }
}
