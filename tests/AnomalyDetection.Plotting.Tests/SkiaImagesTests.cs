using AnomalyDetection.Imaging;
using SkiaSharp;

namespace AnomalyDetection.Plotting.Tests;

public class SkiaImagesTests
{
    [Fact]
    public void FromImageData_Gray_RepeatsEachSampleClampedWithNaNBlack()
    {
        var image = ImageData.FromPlanar(4, 1, 1, [0.5f, float.NaN, 2f, -1f]);

        using var skia = SkiaImages.FromImageData(image);
        using var bitmap = new SKBitmap(new SKImageInfo(4, 1, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Assert.True(skia.ReadPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, 0, 0));

        Assert.Equal(
            [new SKColor(128, 128, 128), new SKColor(0, 0, 0), new SKColor(255, 255, 255), new SKColor(0, 0, 0)],
            Enumerable.Range(0, 4).Select(x => bitmap.GetPixel(x, 0)));
    }

    [Fact]
    public void FromImageData_RgbWithAlpha_KeepsTheColoursAndDropsAlpha()
    {
        var image = ImageData.FromPlanar(1, 1, 4, [1f, 0.2f, 0f, 0f]);

        using var skia = SkiaImages.FromImageData(image);
        using var bitmap = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Assert.True(skia.ReadPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, 0, 0));

        Assert.Equal(new SKColor(255, 51, 0, 255), bitmap.GetPixel(0, 0));
    }
}
