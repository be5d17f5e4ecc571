namespace AnomalyDetection.Autoencoder.Tests.Helpers;

/// <summary>An autoencoder small enough to train in a test on <see cref="TestSupport.SyntheticScans"/>' 32-pixel wave scans.</summary>
internal static class Tiny
{
    public static AutoencoderOptions Options(int channels = 1, long steps = 30) => new()
    {
        ImageSize = TestSupport.SyntheticScans.Size,
        Channels = channels,
        BaseWidth = 8,
        Depth = 3,
        LatentChannels = 4,
        BatchSize = 8,
        MaxSteps = steps,
        LearningRate = 3e-3,
        MapSmoothingSigma = 1,
        Seed = 1,
    };
}
