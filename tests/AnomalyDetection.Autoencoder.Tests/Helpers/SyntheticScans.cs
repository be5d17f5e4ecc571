using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Autoencoder.Tests.Helpers;

/// <summary>
/// Tiny synthetic "scans" in [0, 1]: a smooth diagonal wave of random phase over a dim background with faint noise.
/// Anomalous scans add a square lesion at a random place, with its mask: either bright, or (harder, since its
/// intensities are normal ones) a patch of the wave in opposite phase.
/// </summary>
internal static class SyntheticScans
{
    public const int Size = 32;
    public const int LesionSize = 6;

    public static AutoencoderOptions TinyOptions(int channels = 1, long steps = 30) => new()
    {
        ImageSize = Size,
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

    public static ImageDataset Normal(string name, int count, int seed, int channels = 1) =>
        new(name, Enumerable.Range(0, count).Select(i =>
        {
            var random = new RandomSource((seed * 1000) + i);
            return new LabeledImage($"{name}-{i}", AnomalyLabel.Normal, ImageSource.FromImage(Scan(random, channels, lesion: null)));
        }));

    /// <summary>Normal and anomalous scans (anomalous ones carry their lesion mask, normal ones none).</summary>
    public static ImageDataset Test(int normal, int anomalous, int seed, int channels = 1, bool inverted = false)
    {
        var items = new List<LabeledImage>();
        for (var i = 0; i < normal; i++)
        {
            var random = new RandomSource((seed * 1000) + i);
            items.Add(new LabeledImage($"normal-{i}", AnomalyLabel.Normal, ImageSource.FromImage(Scan(random, channels, lesion: null))));
        }

        for (var i = 0; i < anomalous; i++)
        {
            var random = new RandomSource((seed * 1000) + 500 + i);
            var lesion = Lesion(random);
            items.Add(new LabeledImage($"lesion-{i}", AnomalyLabel.Abnormal, ImageSource.FromImage(Scan(random, channels, lesion, inverted)),
                ImageSource.FromImage(Mask(lesion))));
        }

        return new ImageDataset("synthetic-test", items);
    }

    /// <summary>A random lesion corner (row, column) that keeps the lesion 2 pixels inside the image.</summary>
    public static (int Y, int X) Lesion(RandomSource random) =>
        (random.NextInt(2, Size - LesionSize - 2), random.NextInt(2, Size - LesionSize - 2));

    public static ImageData Scan(RandomSource random, int channels, (int Y, int X)? lesion, bool inverted = false)
    {
        var phase = random.NextDouble() * 2 * Math.PI;
        var pixels = new float[channels * Size * Size];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var inside = lesion is { } at && y >= at.Y && y < at.Y + LesionSize && x >= at.X && x < at.X + LesionSize;
                    var wave = 0.15 * Math.Sin(((x + y) * 0.3) + phase) * (inside && inverted ? -1 : 1);
                    var value = inside && !inverted ? 0.95 : 0.35 + (0.05 * c) + wave + (0.02 * random.NextNormal());

                    pixels[(c * Size * Size) + (y * Size) + x] = (float)Math.Clamp(value, 0, 1);
                }
            }
        }

        return ImageData.FromPlanar(Size, Size, channels, pixels);
    }

    private static ImageData Mask((int Y, int X) at)
    {
        var pixels = new float[Size * Size];
        for (var y = at.Y; y < at.Y + LesionSize; y++)
        {
            for (var x = at.X; x < at.X + LesionSize; x++)
            {
                pixels[(y * Size) + x] = 1f;
            }
        }

        return ImageData.FromPlanar(Size, Size, 1, pixels);
    }
}

/// <summary>Reports on the calling thread, so the test sees every report before Fit returns.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
