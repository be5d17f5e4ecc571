using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Cli;

/// <summary>
/// How <c>train</c> tunes the kinds it knows well: the small settings used without an options file, and where
/// <c>--max-steps</c> goes in each kind's options (<c>--checkpoints</c> is every kind's
/// <see cref="DetectorOptions.CheckpointDirectory"/>). A kind without a profile trains with the library defaults and
/// takes its training length from an options file.
/// </summary>
internal static class TrainingProfiles
{
    private static readonly Dictionary<string, TrainingProfile> Profiles = new(StringComparer.Ordinal)
    {
        [SaganDetector.DetectorKind] = new(
            () => new SaganOptions { ConvDim = 8, RepeatNum = 2, MaxSteps = 300, Seed = 1 },
            (options, settings) =>
            {
                var sagan = (SaganOptions)options;
                sagan.MaxSteps = settings.MaxSteps ?? sagan.MaxSteps;
                if (settings.OptionsFile is null)
                {
                    // The quick settings validate once, at the end, as the quick start does.
                    sagan.ValidationInterval = (int)Math.Min(sagan.MaxSteps, int.MaxValue);
                }
            }),
        [PatchGanDetector.DetectorKind] = new(
            () => new PatchGanOptions
            {
                ImageSize = 32,
                PatchSize = 8,
                ReconstructorBaseWidth = 16,
                ReconstructorDepth = 3,
                DiscriminatorBaseWidth = 16,
                DiscriminatorLayers = 2,
                MaxSteps = 300,
                Seed = 1,
            },
            (options, settings) =>
            {
                var patchGan = (PatchGanOptions)options;
                patchGan.MaxSteps = settings.MaxSteps ?? patchGan.MaxSteps;
            }),
        [AutoencoderDetector.DetectorKind] = new(
            () => new AutoencoderOptions { ImageSize = 32, Depth = 3, MaxSteps = 300, Seed = 1 },
            (options, settings) =>
            {
                var autoencoder = (AutoencoderOptions)options;
                autoencoder.MaxSteps = settings.MaxSteps ?? autoencoder.MaxSteps;
            }),
    };

    /// <summary>The small settings that train <paramref name="descriptor"/>'s kind in minutes on two cores, or its library defaults.</summary>
    public static DetectorOptions SmallOptions(DetectorDescriptor descriptor) =>
        Profiles.TryGetValue(descriptor.Kind, out var profile) ? profile.SmallOptions() : descriptor.CreateOptions();

    /// <summary>Applies the flags to <paramref name="options"/>: <c>--image-size</c>, <c>--seed</c>, <c>--batch-size</c>
    /// and <c>--checkpoints</c> for every kind, <c>--max-steps</c> where the kind has a profile.</summary>
    /// <exception cref="CliException">A flag the kind has no place for was given.</exception>
    public static void ApplyFlags(DetectorDescriptor descriptor, DetectorOptions options, TrainingSettings settings)
    {
        options.ImageSize = settings.ImageSize ?? options.ImageSize;
        options.Seed = settings.Seed ?? options.Seed;
        options.BatchSize = settings.BatchSize ?? options.BatchSize;
        options.CheckpointDirectory = settings.CheckpointDirectory ?? options.CheckpointDirectory;
        if (Profiles.TryGetValue(descriptor.Kind, out var profile))
        {
            profile.ApplyFlags(options, settings);
        }
        else if (settings.MaxSteps is not null)
        {
            throw new CliException($"The '{descriptor.Kind}' detector takes its training length from an options file, not from --max-steps.");
        }
    }

    /// <summary>One kind's tuning.</summary>
    /// <param name="SmallOptions">The settings used without an options file.</param>
    /// <param name="ApplyFlags">Sets the kind's training length from the flags.</param>
    private sealed record TrainingProfile(Func<DetectorOptions> SmallOptions, Action<DetectorOptions, TrainingSettings> ApplyFlags);
}
