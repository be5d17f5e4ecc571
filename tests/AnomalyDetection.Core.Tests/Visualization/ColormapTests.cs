using AnomalyDetection.Detection;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Core.Tests.Visualization;

public sealed class ColormapTests
{
    [Theory]
    [InlineData(0f, 0f, 0f, 0.5f)]
    [InlineData(0.25f, 0f, 0.5f, 1f)]
    [InlineData(0.5f, 0.5f, 1f, 0.5f)]
    [InlineData(0.75f, 1f, 0.5f, 0f)]
    [InlineData(1f, 0.5f, 0f, 0f)]
    public void Jet_KnownStops_MatchTheJetRamp(float value, float red, float green, float blue)
    {
        Assert.Equal((red, green, blue), Colormap.Jet(value));
    }

    [Fact]
    public void Jet_OutOfRangeOrNaN_ClampsToTheEnds()
    {
        Assert.Equal(Colormap.Jet(0f), Colormap.Jet(-3f));
        Assert.Equal(Colormap.Jet(1f), Colormap.Jet(7f));
        Assert.Equal(Colormap.Jet(0f), Colormap.Jet(float.NaN));
    }

    [Fact]
    public void Apply_ExplicitRange_ScalesEachValueIntoTheColormap()
    {
        var map = AnomalyMap.From(3, 1, [0f, 1f, 2f]);

        var image = Colormap.Apply(map, 0f, 2f);

        Assert.Equal((3, 1, 3), (image.Width, image.Height, image.Channels));
        for (var x = 0; x < 3; x++)
        {
            var (red, green, blue) = Colormap.Jet(x / 2f);
            Assert.Equal(red, image[0, 0, x]);
            Assert.Equal(green, image[1, 0, x]);
            Assert.Equal(blue, image[2, 0, x]);
        }
    }

    [Fact]
    public void Apply_OwnRange_DrawsTheSmallestValueBlueAndTheLargestRed()
    {
        var map = AnomalyMap.From(2, 1, [5f, 9f]);

        var image = Colormap.Apply(map);

        Assert.Equal(0.5f, image[2, 0, 0]);
        Assert.Equal(0.5f, image[0, 0, 1]);
    }

    [Fact]
    public void Apply_ConstantMap_IsAllDarkBlue()
    {
        var image = Colormap.Apply(AnomalyMap.From(2, 2, [3f, 3f, 3f, 3f]));

        Assert.All(image.Channel(2).ToArray(), b => Assert.Equal(0.5f, b));
        Assert.All(image.Channel(0).ToArray(), r => Assert.Equal(0f, r));
    }

    [Fact]
    public void Apply_EmptyRange_Throws()
    {
        var map = AnomalyMap.From(1, 1, [1f]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Colormap.Apply(map, 1f, 1f));
    }
}
