using System.IO.Compression;
using System.Text.Json;
using AnomalyDetection.Calibration;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Engine;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Core.Tests.ModelFiles;

public class ModelFileTests
{
    private static ModelManifest Manifest(int version = ModelFile.CurrentFormatVersion, string kind = "probe") => new(
        version, kind, "1.0.0", DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { ImageSize = 8 }),
        JsonSerializer.SerializeToElement(new { Steps = Array.Empty<int>() }), JsonSerializer.SerializeToElement(new DetectorCalibration(new ScoreCalibration(0.5, 0, 1, ThresholdSource.F1Max)), ModelFile.JsonOptions), 42, 2, null);

    private static Dictionary<string, Tensor> Weights() => new() { ["layer.weight"] = TensorData.FromArray([1f, -2.5f, 3f, 0.125f], 2, 2) };

    [Fact]
    public async Task WriteThenRead_RoundTripsManifestAndWeights()
    {
        using var stream = new MemoryStream();
        await ModelFile.WriteAsync(stream, Manifest(), Weights());
        stream.Position = 0;

        var (manifest, weights) = await ModelFile.ReadAsync(stream, "memory", "probe");

        Assert.Equal("probe", manifest.Kind);
        Assert.Equal(42, manifest.Seed);
        Assert.Equal(8, manifest.Options.GetProperty("ImageSize").GetInt32());
        Assert.Equal([1f, -2.5f, 3f, 0.125f], TensorData.ToArray(weights["layer.weight"]));
        Assert.Equal([2, 2], TensorData.Shape(weights["layer.weight"]));
    }

    [Fact]
    public async Task Read_FormatOneFromTheManagedEngine_ThrowsSayingToRetrain()
    {
        using var stream = new MemoryStream();
        await ModelFile.WriteAsync(stream, Manifest(version: 1), Weights());
        stream.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => ModelFile.ReadAsync(stream, "old.adm"));
        Assert.Contains("old.adm", error.Message);
        Assert.Contains("format-1 model file from the retired managed engine", error.Message);
        Assert.Contains("train the model again", error.Message);
    }

    [Fact]
    public async Task Read_NewerFormatVersion_ThrowsNamingBothVersions()
    {
        using var stream = new MemoryStream();
        await ModelFile.WriteAsync(stream, Manifest(version: ModelFile.CurrentFormatVersion + 1), Weights());
        stream.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => ModelFile.ReadAsync(stream, "future.adm"));
        Assert.Contains("future.adm", error.Message);
        Assert.Contains($"format version {ModelFile.CurrentFormatVersion + 1}", error.Message);
    }

    [Fact]
    public async Task Read_MissingWeightsEntry_Throws()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("manifest.json").Open();
            await JsonSerializer.SerializeAsync(entry, Manifest(), ModelFile.JsonOptions);
        }

        stream.Position = 0;
        var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => ModelFile.ReadAsync(stream, "partial.adm"));
        Assert.Contains("weights.safetensors", error.Message);
    }

    [Fact]
    public async Task Read_NotAZip_ThrowsDamaged()
    {
        var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => ModelFile.ReadAsync(new MemoryStream([1, 2, 3, 4, 5]), "junk.adm"));
        Assert.Contains("damaged or not a model file", error.Message);
    }

    [Fact]
    public async Task WriteToPath_FailingWriter_LeavesPreviousFileIntact()
    {
        var folder = Directory.CreateTempSubdirectory("admodel");
        try
        {
            var path = Path.Combine(folder.FullName, "model.adm");
            await ModelFile.WriteAsync(path, Manifest(), Weights());
            var before = await File.ReadAllBytesAsync(path);

            // A tensor whose shape does not match its data cannot be serialised; the failure comes mid-write.
            var broken = new Dictionary<string, Tensor>(Weights()) { ["z.bad"] = null! };
            await Assert.ThrowsAnyAsync<Exception>(() => ModelFile.WriteAsync(path, Manifest(), broken));

            Assert.Equal(before, await File.ReadAllBytesAsync(path));
            Assert.Single(folder.GetFiles());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
