using AnomalyDetection.Imaging;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Core.Tests.Visualization;

public sealed class PixelEnlargementTests
{
    [Fact]
    public void ToAtLeast_SmallImage_RepeatsEachPixelAsABlockOfTheSmallestWholeFactor()
    {
        // 3×2, two channels; 256 / 3 rounds up to a factor of 86.
        float[] planar = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 0f, 0.25f];
        var image = ImageData.FromPlanar(3, 2, 2, planar);

        var enlarged = PixelEnlargement.ToAtLeast(image, 256);

        Assert.Equal((258, 172, 2), (enlarged.Width, enlarged.Height, enlarged.Channels));
        Assert.Equal(0.1f, enlarged[0, 0, 0]);
        Assert.Equal(0.1f, enlarged[0, 85, 85]);
        Assert.Equal(0.2f, enlarged[0, 85, 86]);
        Assert.Equal(0.4f, enlarged[0, 86, 0]);
        Assert.Equal(0.25f, enlarged[1, 171, 257]);
        Assert.Equal(0.8f, enlarged[1, 0, 86]);
    }

    [Fact]
    public void ToAtLeast_ImageAlreadyLargeEnough_IsReturnedUnchanged()
    {
        var image = ImageData.FromPlanar(300, 10, 1, new float[3000]);

        Assert.Same(image, PixelEnlargement.ToAtLeast(image, 256));
    }

    [Fact]
    public void ToAtLeast_NonPositiveSide_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelEnlargement.ToAtLeast(ImageData.FromPlanar(1, 1, 1, [0f]), 0));
}
