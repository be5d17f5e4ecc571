using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace AnomalyDetection.Sagan.Tests.Helpers;

/// <summary>A SAGAN small enough to train in a test: 32×32 images, ConvDim 4, one residual block, batches of 4.</summary>
public static class Tiny
{
    public const int Size = 32;

    public static SaganOptions Options(int iterations = 4, long seed = 5) => new()
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

    /// <summary>A generator for a <see cref="SaganTrainer"/> to train in place (it resets the weights).</summary>
    public static SaganGenerator Generator(SaganOptions options) => new(options.Channels, options.ConvDim, options.RepeatNum, new RandomSource(options.Seed));

    /// <summary>A pool of 60% abnormal and 40% normal gradient scans, labelled unknown.</summary>
    public static ImageDataset Pool(int count, int size, long seed) => UnlabeledPoolBuilder.Build(
        count, SyntheticScans.GradientDataset("abnormal", count, size, seed, abnormal: true), SyntheticScans.GradientDataset("normal", count, size, seed + 1, abnormal: false));

    public static TrainingData Data(long seed = 11) => new(
        SyntheticScans.GradientDataset("normal", 16, Size, seed, abnormal: false),
        Pool(10, Size, seed + 1));

    /// <summary>The trainer's inputs as the shared fitting flow would prepare them: 16 normal training images, a pool of
    /// 10 and 4 other normal images for validation.</summary>
    public static TrainingContext Context(SaganOptions options, long seed = 11, int imageSize = Size)
    {
        var pipeline = options.DefaultPreprocessing();
        return new TrainingContext(
            TrainingImageSet.Load(SyntheticScans.GradientDataset("normal", 16, imageSize, seed, abnormal: false), pipeline),
            TrainingImageSet.Load(Pool(10, imageSize, seed + 1), pipeline),
            TrainingImageSet.Load(SyntheticScans.GradientDataset("validation", 4, imageSize, seed + 7, abnormal: false), pipeline),
            new RandomSource(options.Seed),
            torch.CPU,
            NullLogger.Instance);
    }
}
