using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>The conformance tests' flavour of <see cref="SyntheticScans"/>' gradient scans: any channel count, the
/// square's pixels still draw their noise, and anomalous images carry their mask.</summary>
public static class SyntheticImages
{
    public static ImageData Create(RandomSource random, int size, int channels, bool anomalous, out ImageData mask) =>
        SyntheticScans.Gradient(random, size, anomalous, out mask, channels, drawNoiseUnderLesion: true);

    public static ImageDataset Dataset(string name, int count, int size, int channels, long seed, bool anomalous) =>
        SyntheticScans.GradientDataset(name, count, size, seed, anomalous, channels, drawNoiseUnderLesion: true, withMasks: true);

    public static ImageDataset TestSet(int size, int channels, long seed) =>
        new("test", Dataset("normal", 8, size, channels, seed, anomalous: false).Concat(Dataset("abnormal", 8, size, channels, seed + 1, anomalous: true)));
}
