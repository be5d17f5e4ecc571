using ScottPlot;

namespace AnomalyDetection.Plotting.Tests;

public class EmbeddedFontTests
{
    [Fact]
    public void TheFamilyResolvesToTheEmbeddedDejaVuSans()
    {
        EmbeddedFont.EnsureRegistered();
        Assert.Equal("DejaVu Sans", Fonts.GetTypeface(EmbeddedFont.Family, bold: false, italic: false).FamilyName);
        Assert.True(EmbeddedFont.Bold.FontStyle.Weight > EmbeddedFont.Regular.FontStyle.Weight);
    }

    [Fact]
    public void EveryTextOfAnEvaluationPlotUsesTheEmbeddedFont()
    {
        var (scores, labels) = SyntheticScores.Make(20, 20);
        var plot = RocPlot.Build(scores, labels, 20, 20, 0.5f);

        Assert.Equal(EmbeddedFont.Family, plot.Axes.Title.Label.FontName);
        Assert.Equal(EmbeddedFont.Family, plot.Legend.FontName);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            Assert.Equal(EmbeddedFont.Family, axis.Label.FontName);
            Assert.Equal(EmbeddedFont.Family, axis.TickLabelStyle.FontName);
        }
    }

    [Fact]
    public void TheMapTilesColourBarUsesTheEmbeddedFont()
    {
        var map = Detection.AnomalyMap.From(2, 2, [0f, 1f, 2f, 3f]);
        var colourBar = Assert.Single(MapTilePlot.Build(map, 0, 3).Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());

        Assert.Equal(EmbeddedFont.Family, colourBar.LabelStyle.FontName);
        Assert.Equal(EmbeddedFont.Family, colourBar.Axis.TickLabelStyle.FontName);
    }
}
