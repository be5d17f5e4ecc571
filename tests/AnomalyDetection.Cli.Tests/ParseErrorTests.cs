namespace AnomalyDetection.Cli.Tests;

/// <summary>A numeric option given something else is refused in plain words, never with a .NET type name such as
/// <c>System.Nullable`1[System.Int32]</c>; good values still parse.</summary>
public sealed class ParseErrorTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("train", "--max-steps", "abc", "--max-steps expects a whole number; got 'abc'.")]
    [InlineData("train", "--iterations", "abc", "--max-steps expects a whole number; got 'abc'.")]
    [InlineData("train", "--image-size", "32.5", "--image-size expects a whole number; got '32.5'.")]
    [InlineData("train", "--batch-size", "four", "--batch-size expects a whole number; got 'four'.")]
    [InlineData("train", "--seed", "1e5", "--seed expects a whole number; got '1e5'.")]
    [InlineData("train", "--max-steps", "99999999999", "--max-steps expects a whole number from -2147483648 to 2147483647; got '99999999999'.")]
    [InlineData("import", "--image-size", "big", "--image-size expects a whole number; got 'big'.")]
    [InlineData("import", "--batch-size", "x", "--batch-size expects a whole number; got 'x'.")]
    [InlineData("predict", "--alpha", "half", "--alpha expects a number such as 0.5; got 'half'.")]
    public async Task Command_NumericOptionNotANumber_ExitsOneWithAPlainMessage(string command, string option, string value, string expected)
    {
        string[] required = command switch
        {
            "import" => ["checkpoint.ckpt", "--normal", tiny.Data.Folder("train/normal")],
            "predict" => ["--model", tiny.Model, tiny.Data.Folder("test/normal")],
            _ => ["--data", tiny.Data.Root],
        };

        var run = await CliRun.RunAsync([command, .. required, option, value]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot parse argument", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_NumericOptionsWithGoodValues_AreUsed()
    {
        var model = tiny.Data.PathFor("parsed.adm");
        var options = TinyOptions.Write(tiny.Data.PathFor("parsed.json"), TinyOptions.Autoencoder);

        var train = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", tiny.Data.Root, "--options", options,
            "--max-steps", "2", "--seed", "-9", "--batch-size", "3", "--image-size", "16", "--output", model);
        var info = await CliRun.RunAsync("info", model);

        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("Training       2 steps", info.Output, StringComparison.Ordinal);
        Assert.Contains("Seed           -9", info.Output, StringComparison.Ordinal);
        Assert.Contains("\"batchSize\": 3", info.Output, StringComparison.Ordinal);
    }
}
