using AnomalyDetection.Cli.Commands;

namespace AnomalyDetection.Cli.Tests;

/// <summary>Result files are replaced whole or not at all, a stopped <c>predict</c> leaves no old list of predictions
/// beside its new pictures, and failing inputs leave no empty output folder.</summary>
public sealed class OutputAtomicityTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task JsonWrite_ValueFailsToSerialise_LeavesThePreviousFileAndNoTemporary()
    {
        var folder = Directory.CreateDirectory(tiny.Data.PathFor("json")).FullName;
        var path = TinyOptions.Write(Path.Combine(folder, "predictions.json"), "[ \"previous run\" ]");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Json.WriteAsync(path, new Unserialisable(), CancellationToken.None));

        Assert.Equal("[ \"previous run\" ]", File.ReadAllText(path));
        Assert.Equal(["predictions.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Predict_WriteFailsPartway_SaysWhichFileAndLeavesNoStalePredictions()
    {
        var output = Directory.CreateDirectory(tiny.Data.PathFor("predictions")).FullName;
        var stale = TinyOptions.Write(Path.Combine(output, PredictCommand.PredictionsFile), "[ \"previous run\" ]");
        // A folder where the last image's overlay goes makes that write fail after the first pictures are written.
        var blocked = Directory.CreateDirectory(Path.Combine(output, "img_003.overlay.png")).FullName;

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, tiny.Data.Folder("test/normal"), "--out", output);

        CliAssert.BadInput(run, $"Cannot write '{blocked}'");
        Assert.True(File.Exists(Path.Combine(output, "img_000.overlay.png")), "The first pictures were not written.");
        Assert.False(File.Exists(stale), "The previous run's predictions.json was left beside the new pictures.");
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
    }

    [Fact]
    public async Task Predict_Succeeds_ReplacesThePreviousPredictions()
    {
        var output = Directory.CreateDirectory(tiny.Data.PathFor("predictions")).FullName;
        var predictions = TinyOptions.Write(Path.Combine(output, PredictCommand.PredictionsFile), "[ \"previous run\" ]");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, tiny.Data.Folder("test/normal"), "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("previous run", File.ReadAllText(predictions), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
    }

    [Fact]
    public async Task Predict_UndecodableImage_CreatesNoOutputFolder()
    {
        var inputs = Directory.CreateDirectory(tiny.Data.PathFor("inputs")).FullName;
        File.Copy(Path.Combine(tiny.Data.Folder("test/normal"), "img_000.png"), Path.Combine(inputs, "img_000.png"));
        TinyOptions.Write(Path.Combine(inputs, "img_001.png"), "not a PNG");
        var output = tiny.Data.PathFor("predictions");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, inputs, "--out", output);

        CliAssert.BadInput(run, "img_001.png");
        Assert.False(Directory.Exists(output), "An output folder was created although an input failed.");
    }

    [Fact]
    public async Task Evaluate_UndecodableTestImage_CreatesNoOutputFolder()
    {
        var root = tiny.Data.PathFor("data");
        foreach (var split in new[] { "train/normal", "test/normal", "test/abnormal" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, split)).FullName;
            File.Copy(Path.Combine(tiny.Data.Folder(split), "img_000.png"), Path.Combine(folder, "img_000.png"));
        }

        TinyOptions.Write(Path.Combine(root, "test", "abnormal", "img_001.png"), "not a PNG");
        var output = tiny.Data.PathFor("evaluation");

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", root, "--out", output);

        CliAssert.BadInput(run, "img_001.png");
        Assert.False(Directory.Exists(output), "An output folder was created although an input failed.");
    }

    /// <summary>A value whose serialisation fails part-way, as a full disk would fail a write.</summary>
    private sealed class Unserialisable
    {
        public string First => "written";

        public string Second => throw new InvalidOperationException("This value cannot be serialised.");
    }
}
