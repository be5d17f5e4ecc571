using AnomalyDetection.Imaging;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Core.Tests.Visualization;

public sealed class SideBySideTests
{
    [Fact]
    public void Compose_TwoPanels_PlacesThemLeftToRightWithAWhiteGap()
    {
        var gray = ImageData.FromPlanar(2, 2, 1, [0.2f, 0.2f, 0.2f, 0.2f]);
        var red = ImageData.FromPlanar(3, 2, 3, [1f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f]);

        var row = SideBySide.Compose([gray, red], height: 2, gap: 1);

        Assert.Equal((6, 2, 3), (row.Width, row.Height, row.Channels));
        Assert.Equal((0.2f, 0.2f, 0.2f), (row[0, 1, 1], row[1, 1, 1], row[2, 1, 1]));
        Assert.Equal((1f, 1f, 1f), (row[0, 0, 2], row[1, 0, 2], row[2, 0, 2]));
        Assert.Equal((1f, 0f, 0f), (row[0, 1, 5], row[1, 1, 5], row[2, 1, 5]));
    }

    [Fact]
    public void Compose_TallerHeight_ScalesEachPanelKeepingItsAspect()
    {
        var wide = ImageData.FromPlanar(4, 2, 1, new float[8]);
        var square = ImageData.FromPlanar(3, 3, 1, new float[9]);

        var row = SideBySide.Compose([wide, square], height: 6, gap: 2);

        Assert.Equal(12 + 2 + 6, row.Width);
        Assert.Equal(6, row.Height);
    }

    [Fact]
    public void Compose_NoPanels_Throws()
    {
        Assert.Throws<ArgumentException>(() => SideBySide.Compose([], 8));
    }
}
