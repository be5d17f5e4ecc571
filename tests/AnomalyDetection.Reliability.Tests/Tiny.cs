using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Imaging;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Sagan;
using AnomalyDetection.Randomness;

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
        Iterations = iterations,
        ValidationInterval = 2,
        ValidationFraction = 0.25,
        Seed = seed,
    };

    /// <summary>Training data for SAGAN: normal images plus an unlabeled pool.</summary>
    public static TrainingData SaganData() => new(
        Dataset("normal", 16, seed: 11),
        UnlabeledPoolBuilder.Build(10, Dataset("abnormal", 10, seed: 12, abnormal: true), Dataset("pool_normal", 10, seed: 13)));

    /// <summary>A smooth vertical gradient with noise; abnormal ones carry a bright square.</summary>
    public static ImageData Image(RandomSource random, int size = Size, bool abnormal = false)
    {
        var pixels = new float[size * size];
        var tilt = 0.3f + (0.1f * random.NextSingle());
        int x0 = random.NextInt(1, Math.Max(2, size / 2)), y0 = random.NextInt(1, Math.Max(2, size / 2)), side = Math.Max(1, size / 4);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var inside = abnormal && x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                pixels[(y * size) + x] = inside ? 0.95f : 0.3f + (tilt * y / size) + (0.05f * random.NextSingle());
            }
        }

        return ImageData.FromPlanar(size, size, 1, pixels);
    }

    public static List<ImageData> Images(int count, long seed, int size = Size)
    {
        var random = new RandomSource(seed);
        return [.. Enumerable.Range(0, count).Select(i => Image(random, size, abnormal: i % 2 == 1))];
    }

    public static ImageDataset Dataset(string name, int count, long seed, bool abnormal = false)
    {
        var random = new RandomSource(seed);
        return new ImageDataset(name, Enumerable.Range(0, count).Select(i => new LabeledImage(
            $"{name}_{i:D3}", abnormal ? AnomalyLabel.Abnormal : AnomalyLabel.Normal, ImageSource.FromImage(Image(random, Size, abnormal)))));
    }
}
