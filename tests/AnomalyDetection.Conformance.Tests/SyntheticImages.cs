using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Tiny synthetic "scans": a smooth gradient with noise; anomalies add a bright square with a matching mask.</summary>
public static class SyntheticImages
{
    public static ImageData Create(RandomSource random, int size, int channels, bool anomalous, out ImageData mask)
    {
        var pixels = new float[channels * size * size];
        var maskPixels = new float[size * size];
        var tilt = 0.3f + (0.1f * random.NextSingle());
        int x0 = random.NextInt(2, size / 2), y0 = random.NextInt(2, size / 2), side = size / 4;
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var value = 0.3f + (tilt * y / size) + (0.05f * random.NextSingle());
                    var inside = anomalous && x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                    if (inside)
                    {
                        value = 0.95f;
                        maskPixels[(y * size) + x] = 1f;
                    }

                    pixels[(((c * size) + y) * size) + x] = value;
                }
            }
        }

        mask = ImageData.FromPlanar(size, size, 1, maskPixels);
        return ImageData.FromPlanar(size, size, channels, pixels);
    }

    public static ImageDataset Dataset(string name, int count, int size, int channels, long seed, bool anomalous)
    {
        var random = new RandomSource(seed);
        var items = new List<LabeledImage>(count);
        for (var i = 0; i < count; i++)
        {
            var image = Create(random, size, channels, anomalous, out var mask);
            items.Add(new LabeledImage($"{name}_{i:D3}", anomalous ? AnomalyLabel.Abnormal : AnomalyLabel.Normal,
                ImageSource.FromImage(image), anomalous ? ImageSource.FromImage(mask) : null));
        }

        return new ImageDataset(name, items);
    }

    public static ImageDataset TestSet(int size, int channels, long seed) =>
        new("test", Dataset("normal", 8, size, channels, seed, anomalous: false).Concat(Dataset("abnormal", 8, size, channels, seed + 1, anomalous: true)));
}
