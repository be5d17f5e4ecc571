using AnomalyDetection.Detection;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Evaluation;

/// <summary>The named preprocessing pipelines a configuration can pick.</summary>
/// <remarks><c>gray-zscore</c> and <c>rgb-rescale</c> follow the Patch-GAN research notes; <c>auto</c> picks one of
/// them from the data set's channels; <c>default</c> keeps the detector's own (convert, resize bilinear, scale [0, 1]
/// to [-1, 1]), which SAGAN's tanh generator expects.</remarks>
internal static class PreprocessingChoice
{
    /// <summary>The detector's own preprocessing.</summary>
    public const string Default = "default";

    /// <summary>Gray images z-scored inside the foreground, flipped left-right in training.</summary>
    public const string GrayZScore = "gray-zscore";

    /// <summary><see cref="GrayZScore"/> inside a brain mask computed from each image (<see cref="BrainMaskStep"/>):
    /// for head MRI that is not skull-stripped; everything outside the brain becomes background (-1).</summary>
    public const string BrainZScore = "brain-zscore";

    /// <summary>RGB images scaled to [-1, 1], flipped both ways and rotated by up to 10 degrees in training.</summary>
    public const string RgbRescale = "rgb-rescale";

    /// <summary><see cref="GrayZScore"/> for gray data sets, <see cref="RgbRescale"/> for colour ones.</summary>
    public const string Auto = "auto";

    private static readonly string[] Names = [Default, GrayZScore, BrainZScore, RgbRescale, Auto];

    /// <summary>Throws unless <paramref name="name"/> is a known choice.</summary>
    /// <exception cref="HarnessException">The name is unknown.</exception>
    public static void Require(string name)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            throw new HarnessException($"unknown preprocessing '{name}'; choices: {string.Join(", ", Names)}.");
        }
    }

    /// <summary>Sets <see cref="DetectorOptions.Channels"/> and <see cref="DetectorOptions.Preprocessing"/> for the choice.</summary>
    /// <param name="name">The choice.</param>
    /// <param name="options">The options, with <see cref="DetectorOptions.ImageSize"/> final.</param>
    /// <param name="colorData">Whether the data set's images have colour.</param>
    public static void Configure(string name, DetectorOptions options, bool colorData)
    {
        Require(name);
        var resolved = name == Auto ? (colorData ? RgbRescale : GrayZScore) : name;
        var size = options.ImageSize;
        switch (resolved)
        {
            case GrayZScore or BrainZScore:
                // The brain mask's erosion radius scales with the size: 2 px at 64 px removes a scalp rim of about 4 px at 128 px.
                options.Channels = 1;
                options.Preprocessing = new PreprocessingPipeline(
                [
                    new ConvertChannelsStep(1),
                    new ResizeStep(size, size),
                    .. resolved == BrainZScore ? [new BrainMaskStep(threshold: 0.1f, erosionRadius: Math.Max(1, size / 32))] : Array.Empty<PreprocessingStep>(),
                    new ForegroundZScoreStep(threshold: 0.02f),
                    new RandomFlipStep(horizontalProbability: 0.5),
                ]);
                break;
            case RgbRescale:
                options.Channels = 3;
                options.Preprocessing = new PreprocessingPipeline(
                [
                    new ConvertChannelsStep(3),
                    new ResizeStep(size, size),
                    new RescaleIntensityStep(),
                    new RandomFlipStep(horizontalProbability: 0.5, verticalProbability: 0.5),
                    new RandomRotationStep(maxDegrees: 10),
                ]);
                break;
            default:
                options.Preprocessing = null;
                break;
        }
    }
}
