using AnomalyDetection.Imaging;

namespace AnomalyDetection.Evaluation.Tests;

/// <summary>Writes tiny data sets in the folder layout to a temporary directory, deleted on dispose.</summary>
internal sealed class SyntheticFolders : IDisposable
{
    public const int Size = 32;

    public SyntheticFolders()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evaluation-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A data set "scans": smooth gray discs as normals; abnormals add a bright square lesion, with its mask,
    /// in test/abnormal and extra/train_abnormal.</summary>
    public string WriteScans(int train = 16, int test = 4)
    {
        var random = new Random(7);
        for (var i = 0; i < train; i++)
        {
            Save(Scan(random, lesion: false), "scans", "train", "normal", $"n{i:D2}.png");
            Save(Scan(random, lesion: true), "scans", "extra", "train_abnormal", $"a{i:D2}.png");
        }

        for (var i = 0; i < test; i++)
        {
            Save(Scan(random, lesion: false), "scans", "test", "normal", $"n{i:D2}.png");
            Save(Scan(random, lesion: true), "scans", "test", "abnormal", $"a{i:D2}.png");
            Save(LesionMask(), "scans", "test", "masks", $"a{i:D2}.png");
        }

        return Path("scans");
    }

    /// <summary>Saves <paramref name="image"/> under the root, creating folders.</summary>
    public void Save(ImageData image, params string[] parts)
    {
        var file = Path(parts);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        ImageIO.SavePng(image, file);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static ImageData Scan(Random random, bool lesion)
    {
        var pixels = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var inside = ((x - 15.5) * (x - 15.5)) + ((y - 15.5) * (y - 15.5)) < 14 * 14;
                pixels[(y * Size) + x] = inside ? 0.4f + (0.1f * (float)random.NextDouble()) : 0f;
                if (lesion && IsLesion(x, y))
                {
                    pixels[(y * Size) + x] = 0.95f;
                }
            }
        }

        return ImageData.FromPlanar(Size, Size, 1, pixels);
    }

    private static ImageData LesionMask()
    {
        var pixels = new float[Size * Size];
        for (var p = 0; p < pixels.Length; p++)
        {
            pixels[p] = IsLesion(p % Size, p / Size) ? 1f : 0f;
        }

        return ImageData.FromPlanar(Size, Size, 1, pixels);
    }

    private static bool IsLesion(int x, int y) => x is >= 10 and < 18 && y is >= 12 and < 20;
}
