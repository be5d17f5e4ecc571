using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Core.Tests.Visualization;

public sealed class HeatmapOverlayTests
{
    private static readonly ImageData Gray = ImageData.FromPlanar(2, 2, 1, [0f, 0.2f, 0.6f, 1f]);
    private static readonly AnomalyMap Map = AnomalyMap.From(2, 2, [0f, 1f, 2f, 4f]);

    [Fact]
    public void Create_AlphaZero_IsTheGrayImageInEveryChannel()
    {
        var overlay = HeatmapOverlay.Create(Gray, Map, 0f, 4f, alpha: 0f);

        Assert.Equal(3, overlay.Channels);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(Gray.Pixels.ToArray(), overlay.Channel(c).ToArray());
        }
    }

    [Fact]
    public void Create_AlphaOne_IsTheColouredMap()
    {
        var overlay = HeatmapOverlay.Create(Gray, Map, 0f, 4f, alpha: 1f);

        Assert.Equal(Colormap.Apply(Map, 0f, 4f).Pixels.ToArray(), overlay.Pixels.ToArray());
    }

    [Fact]
    public void Create_HalfAlpha_AveragesImageAndColour()
    {
        var overlay = HeatmapOverlay.Create(Gray, Map, 0f, 4f, alpha: 0.5f);

        // Pixel (x 0, y 1): gray 0.6, map 2 → jet(0.5) = (0.5, 1, 0.5).
        Assert.Equal(0.55f, overlay[0, 1, 0], 6);
        Assert.Equal(0.8f, overlay[1, 1, 0], 6);
        Assert.Equal(0.55f, overlay[2, 1, 0], 6);
    }

    [Fact]
    public void Create_SmallerMap_IsResizedToTheImage()
    {
        var image = ImageData.FromPlanar(4, 4, 1, new float[16]);
        var constant = AnomalyMap.From(2, 2, [1f, 1f, 1f, 1f]);

        var overlay = HeatmapOverlay.Create(image, constant, 0f, 1f, alpha: 1f);

        Assert.Equal((4, 4), (overlay.Width, overlay.Height));
        Assert.All(overlay.Channel(0).ToArray(), r => Assert.Equal(0.5f, r, 6));
    }

    [Fact]
    public void Create_RgbaImage_DropsAlphaAndClampsSamples()
    {
        var rgba = ImageData.FromInterleaved(1, 1, 4, [1.5f, 0.25f, -1f, 0f]);

        var overlay = HeatmapOverlay.Create(rgba, AnomalyMap.From(1, 1, [0f]), 0f, 1f, alpha: 0f);

        Assert.Equal([1f, 0.25f, 0f], overlay.Pixels.ToArray());
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.1f)]
    public void Create_AlphaOutsideUnit_Throws(float alpha)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatmapOverlay.Create(Gray, Map, alpha));
    }
}
