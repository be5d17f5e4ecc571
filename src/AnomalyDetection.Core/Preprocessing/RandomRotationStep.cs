using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Training augmentation: rotates the image about its centre by an angle drawn uniformly from
/// [−<see cref="MaxDegrees"/>, <see cref="MaxDegrees"/>], with bilinear interpolation. Positive angles turn the
/// content counter-clockwise, as torchvision's <c>rotate</c> does; the canvas keeps its size, and samples taken
/// from outside the image read <see cref="Fill"/>.
/// </summary>
public sealed record RandomRotationStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="maxDegrees">The largest rotation either way, in [0, 180].</param>
    /// <param name="fill">The value of samples outside the image (0 is black before intensity scaling).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    [JsonConstructor]
    public RandomRotationStep(double maxDegrees = 10, float fill = 0f)
    {
        if (!(maxDegrees >= 0 && maxDegrees <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegrees), maxDegrees, "The rotation range must be in [0, 180] degrees.");
        }

        if (!float.IsFinite(fill))
        {
            throw new ArgumentOutOfRangeException(nameof(fill), fill, "The fill value must be finite.");
        }

        MaxDegrees = maxDegrees;
        Fill = fill;
    }

    /// <summary>The largest rotation either way, in degrees.</summary>
    public double MaxDegrees { get; }

    /// <summary>The value of samples outside the image.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    public override bool IsAugmentation => true;

    /// <summary>Returns <paramref name="image"/> unchanged: augmentations only act during training.</summary>
    /// <param name="image">The input image.</param>
    /// <returns><paramref name="image"/>.</returns>
    public override ImageData Apply(ImageData image) => image;

    /// <inheritdoc/>
    public override ImageData ApplyForTraining(ImageData image, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        var degrees = ((2 * random.NextDouble()) - 1) * MaxDegrees;
        return Rotate(image, degrees, Fill);
    }

    /// <summary>Rotates <paramref name="image"/> counter-clockwise by <paramref name="degrees"/> about its centre.</summary>
    internal static ImageData Rotate(ImageData image, double degrees, float fill)
    {
        var (width, height, plane) = (image.Width, image.Height, image.PixelCount);
        var (centerX, centerY) = ((width - 1) / 2.0, (height - 1) / 2.0);
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var input = image.Buffer;
        var output = new float[input.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Each output pixel samples the input at its position turned back by the angle (y grows downwards).
                var dx = x - centerX;
                var dy = y - centerY;
                var sourceX = centerX + (dx * cos) - (dy * sin);
                var sourceY = centerY + (dx * sin) + (dy * cos);
                var left = (int)Math.Floor(sourceX);
                var top = (int)Math.Floor(sourceY);
                var fx = sourceX - left;
                var fy = sourceY - top;
                for (var offset = 0; offset < input.Length; offset += plane)
                {
                    var upper = ((1 - fx) * Sample(offset, left, top)) + (fx * Sample(offset, left + 1, top));
                    var lower = ((1 - fx) * Sample(offset, left, top + 1)) + (fx * Sample(offset, left + 1, top + 1));
                    output[offset + (y * width) + x] = (float)(((1 - fy) * upper) + (fy * lower));
                }
            }
        }

        return image.WithPixels(image.Channels, output);

        float Sample(int planeOffset, int sx, int sy) =>
            (uint)sx < (uint)width && (uint)sy < (uint)height ? input[planeOffset + (sy * width) + sx] : fill;
    }
}
