using AnomalyDetection.Imaging;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Hosting.Tests;

/// <summary>
/// Tiny synthetic data in a temporary folder: a training set in the folder layout (smooth 32 × 32 gradients as normal
/// images, the same with a bright square as abnormal ones) and a folder to scan with seven images, one in a subfolder
/// and one whose name holds a comma. Deleted on dispose.
/// </summary>
public sealed class ScanFolders : IDisposable
{
    private const int Side = 32;

    public ScanFolders()
    {
        Root = Path.Combine(Path.GetTempPath(), "ad-hosting-tests", Guid.NewGuid().ToString("N"));
        var random = new Random(11);
        Write("train/train/normal", 12, abnormal: false, random);
        Write("train/extra/train_abnormal", 8, abnormal: true, random);
        Write("scan", 3, abnormal: false, random);
        Write("scan/ward b", 3, abnormal: true, random);
        WriteImage(Path.Combine(Root, "scan", "patient 7, follow-up.png"), abnormal: true, random);
    }

    public string Root { get; }

    public string TrainingData => Path.Combine(Root, "train");

    public string ScanFolder => Path.Combine(Root, "scan");

    /// <summary>The scanned images as the CSV names them: relative to <see cref="ScanFolder"/>.</summary>
    public IReadOnlyList<string> ScannedNames =>
        [.. Directory.EnumerateFiles(ScanFolder, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ScanFolder, f)).Order(StringComparer.Ordinal)];

    public string PathFor(string name) => Path.Combine(Root, "out", name);

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
            WriteImage(Path.Combine(directory, $"img_{n:D3}.png"), abnormal, random);
        }
    }

    private static void WriteImage(string path, bool abnormal, Random random) =>
        ImageIO.SavePng(SyntheticScans.Ramp(random, abnormal, Side), path);
}
