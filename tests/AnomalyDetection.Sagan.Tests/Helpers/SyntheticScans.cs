using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Sagan.Tests.Helpers;

/// <summary>Tiny synthetic "scans" in [0, 1]: a smooth vertical gradient with noise; abnormal ones carry a bright square.</summary>
public static class SyntheticScans
{
    public static ImageData Create(RandomSource random, int size, bool abnormal)
    {
        var pixels = new float[size * size];
        var tilt = 0.3f + (0.1f * random.NextSingle());
        int x0 = random.NextInt(2, size / 2), y0 = random.NextInt(2, size / 2), side = size / 4;
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

    public static ImageDataset Dataset(string name, int count, int size, long seed, bool abnormal)
    {
        var random = new RandomSource(seed);
        return new ImageDataset(name, Enumerable.Range(0, count).Select(i => new LabeledImage(
            $"{name}_{i:D3}", abnormal ? AnomalyLabel.Abnormal : AnomalyLabel.Normal, ImageSource.FromImage(Create(random, size, abnormal)))));
    }

    /// <summary>A pool of 60% abnormal and 40% normal images, labelled unknown.</summary>
    public static ImageDataset Pool(int count, int size, long seed) => UnlabeledPoolBuilder.Build(
        count, Dataset("abnormal", count, size, seed, abnormal: true), Dataset("normal", count, size, seed + 1, abnormal: false));
}
