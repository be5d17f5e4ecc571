using AnomalyDetection.Imaging;

namespace AnomalyDetection.Visualization;

/// <summary>Enlarges small pictures by a whole factor, each pixel becoming a block, so that a 28-pixel overlay can be
/// read on a screen without smoothing inventing detail the map does not have.</summary>
public static class PixelEnlargement
{
    /// <summary>Enlarges <paramref name="image"/> by the smallest whole factor that makes its longer side at least
    /// <paramref name="minimumSide"/> pixels; an image already that large is returned as it is.</summary>
    /// <param name="image">The picture.</param>
    /// <param name="minimumSide">The length the longer side should reach.</param>
    /// <returns>The enlarged picture, with the same channels and source bit depth.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumSide"/> is not positive.</exception>
    public static ImageData ToAtLeast(ImageData image, int minimumSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumSide, 1);
        var longer = Math.Max(image.Width, image.Height);
        var factor = (minimumSide + longer - 1) / longer;
        if (factor <= 1)
        {
            return image;
        }

        var (width, height) = (image.Width * factor, image.Height * factor);
        var pixels = new float[image.Channels * width * height];
        for (var c = 0; c < image.Channels; c++)
        {
            var source = image.Channel(c);
            var plane = pixels.AsSpan(c * width * height, width * height);
            for (var y = 0; y < height; y++)
            {
                var row = source.Slice(y / factor * image.Width, image.Width);
                var target = plane.Slice(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    target[x] = row[x / factor];
                }
            }
        }

        return ImageData.FromPlanar(width, height, image.Channels, pixels, image.SourceBitDepth);
    }
}
