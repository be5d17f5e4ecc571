using AnomalyDetection.Detection;
using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>Builds the anomaly-map tile of a prediction panel: the map as a ScottPlot heatmap in Core's jet colours,
/// with a colour bar whose ticks give the map's scale. The data area is fixed to the tile, and the colour bar lives
/// in a fixed strip to its right, so the panel's layout never depends on the numbers.</summary>
internal static class MapTilePlot
{
    /// <summary>The width of the colour bar strip, ticks and label included.</summary>
    public const int ColourBarWidth = 110;

    public static Plot Build(AnomalyMap map, float minimum, float maximum)
    {
        var intensities = new double[map.Height, map.Width];
        for (var y = 0; y < map.Height; y++)
        {
            for (var x = 0; x < map.Width; x++)
            {
                intensities[y, x] = map[y, x];
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new JetColormap();
        heatmap.ManualRange = new ScottPlot.Range(minimum, maximum);
        var colourBar = plot.Add.ColorBar(heatmap);
        colourBar.Label = "pixel anomaly score";
        plot.HideAxesAndGrid();
        plot.Axes.Margins(0, 0);
        plot.Layout.Fixed(new PixelPadding(0, ColourBarWidth, 0, 0));
        EmbeddedFont.Apply(plot);
        // The colour bar's own label and ticks are not reached by Plot.Font.Set.
        colourBar.LabelStyle.FontName = EmbeddedFont.Family;
        colourBar.LabelStyle.Bold = false;
        colourBar.LabelStyle.FontSize = 14;
        colourBar.Axis.TickLabelStyle.FontName = EmbeddedFont.Family;
        colourBar.Axis.Label.FontName = EmbeddedFont.Family;
        return plot;
    }
}
