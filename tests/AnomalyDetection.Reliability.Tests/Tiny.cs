using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Imaging;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Sagan;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Reliability.Tests;

/// <summary>Detectors and images small enough to train and score thousands of times in a test.</summary>
public static class Tiny
{
    public const int Size = 32;

    private static readonly Lazy<PatchGanDetector> FittedPatchGan = new(() =>
    {
        var detector = new PatchGanDetector(PatchGan(seed: 3));
        detector.Fit(new TrainingData(Dataset("normal", 12, seed: 1)));
        return detector;
    });

    /// <summary>One fitted Patch-GAN shared by the tests that only read it (prediction is thread-safe).</summary>
    public static PatchGanDetector FittedDetector => FittedPatchGan.Value;

    /// <summary>Patch-GAN at 32 px on a 4 × 4 grid, four-channel networks, three steps.</summary>
    public static PatchGanOptions PatchGan(long seed) => new()
    {
        ImageSize = Size,
        PatchSize = 8,
        BatchSize = 8,
        MaxSteps = 3,
        ReconstructorBaseWidth = 4,
        DiscriminatorBaseWidth = 4,
        DiscriminatorLayers = 2,
        ValidationFraction = 0.25,
        Seed = seed,
    };

    /// <summary>The convolutional autoencoder at 32 px, four base channels, two stages, with random flips so that every
    /// batch draws from the random source; 9 training images in batches of 4 give 3 steps an epoch.</summary>
    public static AutoencoderOptions Autoencoder(long seed) => new()
    {
        ImageSize = Size,
        BaseWidth = 4,
        Depth = 2,
        LatentChannels = 4,
        BatchSize = 4,
        MaxSteps = 6,
        ValidationFraction = 0.25,
        Seed = seed,
        Preprocessing = new PreprocessingPipeline([.. new AutoencoderOptions { ImageSize = Size }.DefaultPreprocessing().Steps, new RandomFlipStep(0.5, 0.5)]),
    };

    /// <summary>SAGAN at 32 px with four base channels and one residual block.</summary>
    public static SaganOptions Sagan(int iterations, long seed = 5) => new()
    {
        ImageSize = Size,
        ConvDim = 4,
        RepeatNum = 1,
        CriticRepeatNum = 5,
        BatchSize = 4,
        MaxSteps = iterations,
        ValidationInterval = 2,
        ValidationFraction = 0.25,
        Seed = seed,
    };

    /// <summary>Training data for SAGAN: normal images plus an unlabeled pool.</summary>
    public static TrainingData SaganData() => new(
        Dataset("normal", 16, seed: 11),
        UnlabeledPoolBuilder.Build(10, Dataset("abnormal", 10, seed: 12, abnormal: true), Dataset("pool_normal", 10, seed: 13)));

    /// <summary>A <see cref="SyntheticScans"/> gradient scan whose square's corner may sit 1 pixel from the edge.</summary>
    public static ImageData Image(RandomSource random, int size = Size, bool abnormal = false) =>
        SyntheticScans.Gradient(random, size, abnormal, minCorner: 1);

    public static List<ImageData> Images(int count, long seed, int size = Size)
    {
        var random = new RandomSource(seed);
        return [.. Enumerable.Range(0, count).Select(i => Image(random, size, abnormal: i % 2 == 1))];
    }

    public static ImageDataset Dataset(string name, int count, long seed, bool abnormal = false) =>
        SyntheticScans.GradientDataset(name, count, Size, seed, abnormal, minCorner: 1);
}
