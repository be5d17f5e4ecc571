using System.Globalization;
using AnomalyDetection.Imaging;
using AnomalyDetection.Sagan;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Hosting.Tests;

public sealed class ScanHostTests : IDisposable
{
    // A SAGAN small enough to train in about a second, overriding the sample's appsettings.json.
    private static readonly string[] TinySagan =
    [
        "--Detectors:chest:Options:ImageSize=32", "--Detectors:chest:Options:ConvDim=4", "--Detectors:chest:Options:RepeatNum=1",
        "--Detectors:chest:Options:CriticRepeatNum=3", "--Detectors:chest:Options:MaxSteps=3", "--Detectors:chest:Options:ValidationInterval=3",
        "--Detectors:chest:Options:BatchSize=4", "--Detectors:chest:Options:ValidationFraction=0.34", "--Detectors:chest:Options:Seed=5",
    ];

    private readonly ScanFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Run_NoModelFile_TrainsSavesTheModelAndScoresEveryImage()
    {
        var modelFile = _folders.PathFor("model.adm");
        var csv = _folders.PathFor("scores.csv");

        await RunAsync(modelFile, csv, batchSize: 4);

        Assert.True(File.Exists(modelFile));
        var loaded = await SaganDetector.LoadAsync(modelFile);
        Assert.True(loaded.IsFitted);
        Assert.Equal(_folders.ScannedNames, ReadRows(csv).Select(r => r.File).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_ExistingModelFile_RowsMatchTheModelsOwnPredictions()
    {
        var modelFile = _folders.PathFor("model.adm");
        await RunAsync(modelFile, _folders.PathFor("first.csv"), batchSize: 4);
        var written = File.GetLastWriteTimeUtc(modelFile);
        var csv = _folders.PathFor("scores.csv");

        // Batches of 3 over 7 images: two full batches and a last one of 1.
        await RunAsync(modelFile, csv, batchSize: 3);

        Assert.Equal(written, File.GetLastWriteTimeUtc(modelFile));
        var model = await SaganDetector.LoadAsync(modelFile);
        var rows = ReadRows(csv);
        Assert.Equal(7, rows.Count);
        foreach (var row in rows)
        {
            var expected = model.Predict(ImageIO.Load(Path.Combine(_folders.ScanFolder, row.File)));
            Assert.Equal(expected.Score, row.Score);
            Assert.Equal(expected.IsAnomalous, row.IsAnomalous);
        }
    }

    [Fact]
    public async Task Start_InvalidDetectorOption_FailsNamingTheDetectorAndTheValue()
    {
        using var host = ScanHost.CreateBuilder([.. Arguments(_folders.PathFor("model.adm"), _folders.PathFor("scores.csv"), 4), "--Detectors:chest:Options:ConvDim=0"]).Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Detector 'chest': ConvDim must be in [1, 1024] (was 0)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folders.PathFor("scores.csv")));
    }

    [Fact]
    public async Task Start_ZeroBatchSize_FailsNamingTheSetting()
    {
        using var host = ScanHost.CreateBuilder(Arguments(_folders.PathFor("model.adm"), _folders.PathFor("scores.csv"), 0)).Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBuilder_UnknownDetectorKind_FailsNamingTheKind()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ScanHost.CreateBuilder(["--Detectors:other:Kind=resnet"]));

        Assert.Contains("Detector 'other': Kind must be \"sagan\", \"patchgan\" or \"autoencoder\" but is \"resnet\"", error.Message, StringComparison.Ordinal);
    }

    private string[] Arguments(string modelFile, string csv, int batchSize) =>
    [
        .. TinySagan,
        $"--Scan:ModelFile={modelFile}", "--Scan:TrainDetector=chest", $"--Scan:TrainingData={_folders.TrainingData}",
        $"--Scan:InputFolder={_folders.ScanFolder}", $"--Scan:OutputCsv={csv}", $"--Scan:BatchSize={batchSize}",
        "--Logging:LogLevel:Default=Warning",
    ];

    private async Task RunAsync(string modelFile, string csv, int batchSize)
    {
        using var host = ScanHost.CreateBuilder(Arguments(modelFile, csv, batchSize)).Build();
        var scanner = host.Services.GetRequiredService<FolderScanner>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        await host.RunAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself after the scan");
        Assert.True(scanner.ExecuteTask!.IsCompletedSuccessfully, scanner.ExecuteTask.Exception?.ToString());
    }

    private static List<(string File, float Score, bool IsAnomalous)> ReadRows(string csv)
    {
        var lines = File.ReadAllLines(csv);
        Assert.Equal("file,score,normalized_score,is_anomalous,p_value", lines[0]);
        return [.. lines.Skip(1).Select(ParseRow)];
    }

    // The file column is quoted when it holds a comma; the other four columns never are.
    private static (string File, float Score, bool IsAnomalous) ParseRow(string line)
    {
        var fields = line.Split(',');
        var file = string.Join(',', fields[..^4]);
        if (file.StartsWith('"'))
        {
            file = file[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return (file, float.Parse(fields[^4], CultureInfo.InvariantCulture), bool.Parse(fields[^2]));
    }
}
