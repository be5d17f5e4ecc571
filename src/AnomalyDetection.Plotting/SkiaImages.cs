using AnomalyDetection.Imaging;
using AnomalyDetection.Visualization;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>Turns Core's planar float images into Skia images for drawing.</summary>
internal static class SkiaImages
{
    /// <summary>An opaque RGBA copy of <paramref name="image"/>, rendered as Core's pictures are
    /// (<see cref="ImageRendering.ToRgb"/>: samples clamped to [0, 1], NaN drawn black, gray repeated, alpha dropped).</summary>
    public static SKImage FromImageData(ImageData image)
    {
        var rgb = ImageRendering.ToRgb(image);
        var plane = rgb.PixelCount;
        var pixels = rgb.Pixels;
        var rgba = new byte[4 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgba[(4 * i) + c] = (byte)Math.Round(pixels[(c * plane) + i] * 255f);
            }

            rgba[(4 * i) + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, rgba, info.RowBytes);
    }
}
