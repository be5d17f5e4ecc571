using AnomalyDetection.Imaging;

namespace AnomalyDetection.Visualization;

/// <summary>Small conversions shared by the picture builders.</summary>
internal static class ImageRendering
{
    /// <summary>The image as RGB with samples clamped to [0, 1]: gray is repeated, alpha dropped.</summary>
    public static ImageData ToRgb(ImageData image)
    {
        var plane = image.PixelCount;
        var colourChannels = image.HasAlpha ? image.Channels - 1 : image.Channels;
        var pixels = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            var source = image.Channel(colourChannels == 1 ? 0 : c);
            var target = pixels.AsSpan(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                target[i] = float.IsNaN(source[i]) ? 0f : Math.Clamp(source[i], 0f, 1f);
            }
        }

        return new ImageData(image.Width, image.Height, 3, pixels, 8);
    }
}
