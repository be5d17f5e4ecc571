using System.Text.Json;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli.Tests;

/// <summary>An options file says exactly what trains: unknown keys are refused by name before any work, and a
/// preprocessing block (the form a model file stores) is used and kept in the model.</summary>
public sealed class OptionsFileTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>
{
    [Fact]
    public async Task Train_MisspeltOption_ExitsOneNamingItBeforeTraining()
    {
        var options = TinyOptions.Write(data.PathFor("typo.json"), TinyOptions.Autoencoder.Replace("\"maxSteps\"", "\"maxStep\"", StringComparison.Ordinal));
        var model = data.PathFor("typo.adm");

        var run = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", data.Root, "--options", options, "--output", model);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has unknown option(s) 'maxStep'; the options are:", run.Error, StringComparison.Ordinal);
        Assert.Contains("maxSteps", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("AnomalyDetection.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Train_UnknownKeyInANestedObject_ExitsOne()
    {
        var options = TinyOptions.Write(data.PathFor("nested.json"), TinyOptions.Autoencoder.Replace("\"seed\": 5", "\"seed\": 5, \"calibration\": { \"normalPercentil\": 95 }", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", data.Root, "--options", options, "--output", data.PathFor("nested.adm"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("normalPercentil", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_PreprocessingBlock_IsUsedAndStoredInTheModel()
    {
        var preprocessing = """
            "preprocessing": { "steps": [ { "kind": "convertChannels", "channels": 1 }, { "kind": "resize", "width": 16, "height": 16, "method": "area" }, { "kind": "rescaleIntensity", "inputLow": 0, "inputHigh": 1, "outputLow": -1, "outputHigh": 1 } ] },
            """;
        var options = TinyOptions.Write(data.PathFor("pre.json"), TinyOptions.Autoencoder.Replace("{", "{ " + preprocessing, StringComparison.Ordinal));
        var model = data.PathFor("pre.adm");

        var run = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", data.Root, "--options", options, "--output", model);

        Assert.True(run.ExitCode == 0, run.Error);
        var (manifest, _) = await ModelFile.ReadAsync(model);
        var stored = manifest.Preprocessing.GetRawText();
        Assert.Contains("\"area\"", stored, StringComparison.OrdinalIgnoreCase);
    }
}
