using AnomalyDetection.Imaging;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>Turns Core's planar float images into Skia images for drawing.</summary>
internal static class SkiaImages
{
    /// <summary>An opaque RGBA copy of <paramref name="image"/>: samples clamped to [0, 1] (NaN drawn black), gray
    /// repeated over red, green and blue, alpha dropped.</summary>
    public static SKImage FromImageData(ImageData image)
    {
        var plane = image.PixelCount;
        var colourChannels = image.HasAlpha ? image.Channels - 1 : image.Channels;
        var rgba = new byte[4 * plane];
        var pixels = image.Pixels;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var source = colourChannels == 1 ? 0 : c;
                rgba[(4 * i) + c] = ToByte(pixels[(source * plane) + i]);
            }

            rgba[(4 * i) + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, rgba, info.RowBytes);
    }

    private static byte ToByte(float value) => float.IsNaN(value) ? (byte)0 : (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
