using AnomalyDetection.TestSupport;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>A Patch-GAN small enough to train in a test on <see cref="SyntheticScans"/>' 32-pixel wave scans.</summary>
internal static class Tiny
{
    public static PatchGanOptions Options(int channels = 1, long steps = 30) => new()
    {
        ImageSize = SyntheticScans.Size,
        Channels = channels,
        PatchSize = 8,
        ReconstructorBaseWidth = 4,
        DiscriminatorBaseWidth = 4,
        DiscriminatorLayers = 2,
        BatchSize = 8,
        MaxSteps = steps,
        LearningRate = 2e-3,
        MapSmoothingSigma = 1,
        Seed = 1,
    };
}
