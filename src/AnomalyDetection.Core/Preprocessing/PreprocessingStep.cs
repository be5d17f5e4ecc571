using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// One preprocessing operation, described entirely by its properties so that a model file can store it as JSON
/// (the <c>"kind"</c> property names the step) and a loaded model preprocesses exactly as the trained one did.
/// </summary>
/// <remarks>
/// Steps never modify their input; each returns a new image. Intensity steps act on every channel, so convert
/// the channels first if the image has alpha.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ResizeStep), "resize")]
[JsonDerivedType(typeof(CenterCropStep), "centerCrop")]
[JsonDerivedType(typeof(ConvertChannelsStep), "convertChannels")]
[JsonDerivedType(typeof(RescaleIntensityStep), "rescaleIntensity")]
[JsonDerivedType(typeof(ForegroundZScoreStep), "foregroundZScore")]
[JsonDerivedType(typeof(BrainMaskStep), "brainMask")]
[JsonDerivedType(typeof(RandomFlipStep), "randomFlip")]
[JsonDerivedType(typeof(RandomRotationStep), "randomRotation")]
public abstract record PreprocessingStep
{
    /// <summary>Only this assembly defines steps, because JSON must know every kind.</summary>
    private protected PreprocessingStep()
    {
    }

    /// <summary>Whether the step is a random augmentation, which only <see cref="ApplyForTraining"/> performs.</summary>
    [JsonIgnore]
    public virtual bool IsAugmentation => false;

    /// <summary>Applies the step as at inference; an augmentation returns <paramref name="image"/> unchanged.</summary>
    /// <param name="image">The input image.</param>
    /// <returns>The processed image.</returns>
    public abstract ImageData Apply(ImageData image);

    /// <summary>Applies the step as during training, where augmentations draw from <paramref name="random"/>.</summary>
    /// <param name="image">The input image.</param>
    /// <param name="random">The seeded source every random decision comes from.</param>
    /// <returns>The processed image.</returns>
    public virtual ImageData ApplyForTraining(ImageData image, RandomSource random) => Apply(image);

    /// <summary>
    /// Applies the step's geometry to a one-channel binary ground-truth mask, so that the mask stays aligned with the
    /// image; intensity steps and augmentations leave masks unchanged.
    /// </summary>
    /// <param name="mask">A one-channel mask with values 0 and 1.</param>
    /// <returns>The transformed mask, again with values 0 and 1.</returns>
    public virtual ImageData ApplyToMask(ImageData mask) => mask;

    /// <summary>The fixed width and height every image has after this step, or null when the step keeps the size.</summary>
    internal virtual (int Width, int Height)? OutputSize => null;

    /// <summary>The fixed channel count every image has after this step, or null when the step keeps it.</summary>
    internal virtual int? OutputChannels => null;

    /// <summary>One flag per pixel: whether any channel exceeds <paramref name="cut"/>.</summary>
    private protected static bool[] AnyChannelAbove(ImageData image, float cut)
    {
        var flags = new bool[image.PixelCount];
        for (var c = 0; c < image.Channels; c++)
        {
            var channel = image.Channel(c);
            for (var i = 0; i < flags.Length; i++)
            {
                flags[i] |= channel[i] > cut;
            }
        }

        return flags;
    }

    /// <summary>Refuses an output size beyond <see cref="ImageLimits.MaxPixels"/>, so a forged pipeline in a model file
    /// cannot make inference allocate without bound.</summary>
    private protected static void ThrowIfTooLarge(int width, int height, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > ImageLimits.MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {what} to {width} × {height} exceeds the limit of {ImageLimits.MaxPixels} pixels.");
        }
    }
}
