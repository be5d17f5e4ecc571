using AnomalyDetection.Imaging;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Cli.Tests;

/// <summary>A tiny data set in the folder layout, in a temporary folder: smooth 32 × 32 gradients as normal images,
/// the same with a bright square as abnormal ones. Deleted on dispose.</summary>
public sealed class SyntheticDataset : IDisposable
{
    public const int Side = 32;

    public SyntheticDataset()
    {
        Root = Path.Combine(Path.GetTempPath(), "ad-cli-tests", Guid.NewGuid().ToString("N"));
        var random = new Random(7);
        Write("train/normal", 12, abnormal: false, random);
        Write("test/normal", 4, abnormal: false, random);
        Write("test/abnormal", 4, abnormal: true, random);
        Write("extra/train_abnormal", 8, abnormal: true, random);
    }

    public string Root { get; }

    public string Folder(string relative) => Path.Combine(Root, relative);

    /// <summary>A fresh path under the data set's temporary folder.</summary>
    public string PathFor(string name) => Path.Combine(Root, "out", Guid.NewGuid().ToString("N")[..8], name);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private void Write(string folder, int count, bool abnormal, Random random)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, folder)).FullName;
        for (var n = 0; n < count; n++)
        {
            ImageIO.SavePng(SyntheticScans.Ramp(random, abnormal, Side), Path.Combine(directory, $"img_{n:D3}.png"));
        }
    }
}
