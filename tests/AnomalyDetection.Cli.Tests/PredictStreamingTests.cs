namespace AnomalyDetection.Cli.Tests;

/// <summary><c>predict</c> scores and draws one batch before it reads the next: with more images than a batch, the
/// first batch's pictures are written before a later image is decoded.</summary>
public sealed class PredictStreamingTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Predict_BrokenImageInTheSecondBatch_FirstBatchIsDrawnBeforeItIsRead()
    {
        var inputs = Directory.CreateDirectory(tiny.Data.PathFor("inputs")).FullName;
        var source = Path.Combine(tiny.Data.Folder("test/normal"), "img_000.png");
        for (var n = 0; n < BatchedScoring.BatchSize; n++)
        {
            File.Copy(source, Path.Combine(inputs, $"scan_{n:D2}.png"));
        }

        var broken = TinyOptions.Write(Path.Combine(inputs, "zz_broken.png"), "not a PNG");
        var output = tiny.Data.PathFor("predictions");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, inputs, "--out", output);

        CliAssert.BadInput(run, broken);
        Assert.Equal(BatchedScoring.BatchSize, Directory.GetFiles(output, "scan_*.overlay.png").Length);
        Assert.Equal(1 + BatchedScoring.BatchSize, run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
