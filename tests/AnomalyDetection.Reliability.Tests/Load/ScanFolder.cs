using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Reliability.Tests.Load;

/// <summary>A temporary folder of thousands of small PNG scans in two sub-folders, a few corrupt ones and a file that
/// is not an image; created once for the tests that share it.</summary>
public sealed class ScanFolder : IDisposable
{
    public const int Images = 2000;
    public const int Corrupt = 3;
    public const int Side = 96;

    public ScanFolder()
    {
        Path = Directory.CreateTempSubdirectory("reliability-scan").FullName;
        var random = new RandomSource(5);
        for (var i = 0; i < Images; i++)
        {
            var folder = System.IO.Path.Combine(Path, i % 2 == 0 ? "ward_a" : "ward_b");
            Directory.CreateDirectory(folder);
            ImageIO.SavePng(Tiny.Image(random, Side, abnormal: i % 5 == 0), System.IO.Path.Combine(folder, $"scan_{i:D4}.png"));
        }

        var valid = File.ReadAllBytes(System.IO.Path.Combine(Path, "ward_a", "scan_0000.png"));
        for (var i = 0; i < Corrupt; i++)
        {
            File.WriteAllBytes(System.IO.Path.Combine(Path, $"broken_{i}.png"), valid[..(valid.Length / (i + 2))]);
        }

        File.WriteAllText(System.IO.Path.Combine(Path, "notes.txt"), "not an image");
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
