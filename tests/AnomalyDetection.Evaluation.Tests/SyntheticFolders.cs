using AnomalyDetection.Imaging;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Evaluation.Tests;

/// <summary>Writes tiny data sets in the folder layout to a temporary directory, deleted on dispose.</summary>
internal sealed class SyntheticFolders : IDisposable
{
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
            Save(SyntheticScans.Disc(random, lesion: false), "scans", "train", "normal", $"n{i:D2}.png");
            Save(SyntheticScans.Disc(random, lesion: true), "scans", "extra", "train_abnormal", $"a{i:D2}.png");
        }

        for (var i = 0; i < test; i++)
        {
            Save(SyntheticScans.Disc(random, lesion: false), "scans", "test", "normal", $"n{i:D2}.png");
            Save(SyntheticScans.Disc(random, lesion: true), "scans", "test", "abnormal", $"a{i:D2}.png");
            Save(SyntheticScans.FixedLesionMask(), "scans", "test", "masks", $"a{i:D2}.png");
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
}
