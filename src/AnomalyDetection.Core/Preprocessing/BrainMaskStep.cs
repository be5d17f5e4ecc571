using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// A rough skull strip for head MRI slices that are not skull-stripped: keeps the brain and sets every other pixel
/// to <see cref="BackgroundValue"/>, so that a detector's training loss, anomaly map and image score see brain tissue
/// only, not the scalp, skull base and orbits that are the least predictable parts of a normal slice.
/// </summary>
/// <remarks>
/// The mask is computed from the image alone: pixels brighter than <see cref="Threshold"/> times the image's maximum
/// (over all channels) are foreground; erosion by a disc of <see cref="ErosionRadius"/> pixels removes the thin
/// scalp rim and cuts it from the brain; the largest 8-connected component is kept and its holes (dark lesions,
/// ventricles) are filled. The radius is in pixels of the step's input, so place the step after the resize. The
/// brain loses a rim of that width too. Follow it with a <see cref="ForegroundZScoreStep"/> to standardise intensities
/// inside the mask. An image with no foreground left becomes all background.
/// </remarks>
public sealed record BrainMaskStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="threshold">The foreground threshold as a fraction of the image's maximum; in [0, 1).</param>
    /// <param name="erosionRadius">The erosion radius in pixels; 0 to 64.</param>
    /// <param name="backgroundValue">The value written outside the mask.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range or not finite.</exception>
    [JsonConstructor]
    public BrainMaskStep(float threshold = 0.1f, int erosionRadius = 2, float backgroundValue = 0f)
    {
        if (!(threshold >= 0f && threshold < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The brain mask's threshold is a fraction of the image's maximum, in [0, 1).");
        }

        if (erosionRadius is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(erosionRadius), erosionRadius, "The brain mask's erosion radius must be 0 to 64 pixels.");
        }

        if (!float.IsFinite(backgroundValue))
        {
            throw new ArgumentOutOfRangeException(nameof(backgroundValue), backgroundValue, "The brain mask's background value must be finite.");
        }

        Threshold = threshold;
        ErosionRadius = erosionRadius;
        BackgroundValue = backgroundValue;
    }

    /// <summary>The foreground threshold as a fraction of the image's maximum.</summary>
    public float Threshold { get; }

    /// <summary>The erosion radius in pixels of the step's input.</summary>
    public int ErosionRadius { get; }

    /// <summary>The value written outside the mask.</summary>
    public float BackgroundValue { get; }

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mask = Mask(image);
        var plane = image.PixelCount;
        var output = image.ToPlanarArray();
        for (var c = 0; c < image.Channels; c++)
        {
            var destination = output.AsSpan(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                if (!mask[i])
                {
                    destination[i] = BackgroundValue;
                }
            }
        }

        return image.WithPixels(image.Channels, output);
    }

    /// <summary>The brain mask of <paramref name="image"/>, row-major, without changing the image.</summary>
    /// <param name="image">The image.</param>
    /// <returns>One flag per pixel: true inside the brain.</returns>
    public bool[] Mask(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var foreground = Foreground(image);
        var eroded = BinaryMorphology.Erode(foreground, image.Width, image.Height, ErosionRadius);
        var largest = BinaryMorphology.LargestComponent(eroded, image.Width, image.Height);
        return BinaryMorphology.FillHoles(largest, image.Width, image.Height);
    }

    private bool[] Foreground(ImageData image)
    {
        var maximum = float.NegativeInfinity;
        foreach (var value in image.Pixels)
        {
            maximum = MathF.Max(maximum, value);
        }

        return maximum > 0f ? AnyChannelAbove(image, Threshold * maximum) : new bool[image.PixelCount];
    }
}
