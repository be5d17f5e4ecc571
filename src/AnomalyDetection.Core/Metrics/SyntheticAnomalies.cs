using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Metrics;

/// <summary>
/// Synthetic anomalies made from normal images: stand-ins for real lesions when choosing settings or checkpoints
/// without labelled anomalous images. Neither kind is SAGAN's training-time pseudo-anomaly (a square blended from
/// another image), so a detector trained to undo that one is not simply marked on its own exercise.
/// </summary>
public static class SyntheticAnomalies
{
    /// <summary>
    /// Adds a smooth round blob, brighter or darker than its surroundings, as an opacity or a lesion would be: a
    /// Gaussian bump of radius 8–20% of the shorter side and height ±(0.2–0.5) of the image's intensity range, at a
    /// random place away from the border. Values stay within [0, 1] (the decoders' range) or the image's own wider range.
    /// </summary>
    /// <param name="image">A normal image.</param>
    /// <param name="random">Chooses the place, size, sign and height.</param>
    /// <returns>A new image; <paramref name="image"/> is unchanged. Alpha channels are left as they are.</returns>
    public static ImageData AddBlob(ImageData image, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        var side = Math.Min(image.Width, image.Height);
        var sigma = side * (0.08 + (0.12 * random.NextDouble()));
        var (cy, cx) = Centre(image, random);
        var (low, high) = Range(image);
        var (floor, ceiling) = (Math.Min(0f, low), Math.Max(1f, high));
        var height = (float)((high - low) * (0.2 + (0.3 * random.NextDouble())) * (random.NextDouble() < 0.5 ? -1 : 1));
        var pixels = image.ToPlanarArray();
        for (var c = 0; c < ColourChannels(image); c++)
        {
            for (var y = 0; y < image.Height; y++)
            {
                for (var x = 0; x < image.Width; x++)
                {
                    var r2 = ((y - cy) * (y - cy)) + ((x - cx) * (x - cx));
                    var i = (((c * image.Height) + y) * image.Width) + x;
                    pixels[i] = Math.Clamp(pixels[i] + (height * (float)Math.Exp(-r2 / (2 * sigma * sigma))), floor, ceiling);
                }
            }
        }

        return ImageData.FromPlanar(image.Width, image.Height, image.Channels, pixels, image.SourceBitDepth);
    }

    /// <summary>
    /// Pastes a square of <paramref name="donor"/>, taken from another place than where it lands, with a soft edge:
    /// tissue that is plausible in itself but out of place. The side is 15–35% of the shorter side.
    /// </summary>
    /// <param name="image">A normal image.</param>
    /// <param name="donor">Another normal image of the same size and channels (or the same image).</param>
    /// <param name="random">Chooses both places and the size.</param>
    /// <returns>A new image; the inputs are unchanged.</returns>
    /// <exception cref="ArgumentException">The donor's size or channels differ.</exception>
    public static ImageData PastePatch(ImageData image, ImageData donor, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(donor);
        ArgumentNullException.ThrowIfNull(random);
        if (donor.Width != image.Width || donor.Height != image.Height || donor.Channels != image.Channels)
        {
            throw new ArgumentException($"The donor is {donor.Width}×{donor.Height}×{donor.Channels}, the image {image.Width}×{image.Height}×{image.Channels}; they must match.", nameof(donor));
        }

        var side = Math.Max(2, (int)(Math.Min(image.Width, image.Height) * (0.15 + (0.2 * random.NextDouble()))));
        var (toY, toX) = (random.NextInt(0, image.Height - side + 1), random.NextInt(0, image.Width - side + 1));
        var (fromY, fromX) = (random.NextInt(0, image.Height - side + 1), random.NextInt(0, image.Width - side + 1));
        var feather = Math.Max(1, side / 6);
        var pixels = image.ToPlanarArray();
        for (var c = 0; c < ColourChannels(image); c++)
        {
            for (var dy = 0; dy < side; dy++)
            {
                for (var dx = 0; dx < side; dx++)
                {
                    // The weight ramps up over the outer band so that the square's edge is not itself the anomaly.
                    var edge = Math.Min(Math.Min(dy, dx), Math.Min(side - 1 - dy, side - 1 - dx));
                    var weight = Math.Min(1f, (edge + 1f) / (feather + 1f));
                    var i = (((c * image.Height) + toY + dy) * image.Width) + toX + dx;
                    pixels[i] = ((1 - weight) * pixels[i]) + (weight * donor[c, fromY + dy, fromX + dx]);
                }
            }
        }

        return ImageData.FromPlanar(image.Width, image.Height, image.Channels, pixels, image.SourceBitDepth);
    }

    private static (double Y, double X) Centre(ImageData image, RandomSource random) =>
        (image.Height * (0.2 + (0.6 * random.NextDouble())), image.Width * (0.2 + (0.6 * random.NextDouble())));

    private static int ColourChannels(ImageData image) => image.HasAlpha ? image.Channels - 1 : image.Channels;

    private static (float Low, float High) Range(ImageData image)
    {
        var low = float.PositiveInfinity;
        var high = float.NegativeInfinity;
        foreach (var value in image.Pixels)
        {
            low = Math.Min(low, value);
            high = Math.Max(high, value);
        }

        return high > low ? (low, high) : (low, low + 1);
    }
}
