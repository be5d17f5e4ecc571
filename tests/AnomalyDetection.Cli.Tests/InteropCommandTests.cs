using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli.Tests;

/// <summary>
/// <c>import</c> and <c>export</c> end to end: the authors'-format SAGAN checkpoint of the interop fixture
/// (tools/sagan/make_interop_fixture.py) becomes a calibrated model file, and that model exports back to a state dict
/// with the authors' names that re-imports to the same weights.
/// </summary>
public sealed class InteropCommandTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>
{
    private static readonly string Checkpoint = Path.Combine(AppContext.BaseDirectory, "Fixtures", "interop", "100-G.ckpt");

    [Fact]
    public async Task ImportThenExport_AuthorsCheckpoint_RoundTripsTheGeneratorWeights()
    {
        var model = data.PathFor("imported.adm");
        var exported = data.PathFor("exported");

        var import = await CliRun.RunAsync("import", Checkpoint, "--normal", data.Folder("train/normal"), "--output", model);
        var export = await CliRun.RunAsync("export", "--model", model, "--output", exported);
        var reimported = data.PathFor("reimported.adm");
        var again = await CliRun.RunAsync("import", exported + ".pt", "--normal", data.Folder("train/normal"), "--output", reimported);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("ConvDim 4, 1 residual blocks", import.Output, StringComparison.Ordinal);
        Assert.Contains("running-statistics buffers ignored", import.Output, StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(File.Exists(exported + ".pt") && File.Exists(exported + ".safetensors"));
        Assert.True(again.ExitCode == 0, again.Error);
        var (_, first) = await ModelFile.ReadAsync(model);
        var (_, second) = await ModelFile.ReadAsync(reimported);
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.All(first, p => Assert.Equal(TensorData.ToArray(p.Value), TensorData.ToArray(second[p.Key])));
    }

    [Fact]
    public async Task Import_FileThatIsNotACheckpoint_ExitsOneNamingTheFile()
    {
        var bogus = data.PathFor("bogus-G.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(bogus)!);
        await File.WriteAllTextAsync(bogus, "not a checkpoint");

        var run = await CliRun.RunAsync("import", bogus, "--normal", data.Folder("train/normal"), "--output", data.PathFor("x.adm"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(bogus, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
