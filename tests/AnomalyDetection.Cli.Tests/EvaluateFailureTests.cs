namespace AnomalyDetection.Cli.Tests;

/// <summary><c>evaluate</c> given a bad output path or a looping link: one line naming the path, before anything is
/// scored or printed.</summary>
public sealed class EvaluateFailureTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Evaluate_OutIsAFile_ExitsOneBeforePrintingMetrics()
    {
        var file = TinyOptions.Write(tiny.Data.PathFor("metrics.txt"), "keep me");

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", tiny.Data.Root, "--out", file);

        CliAssert.BadInput(run, $"--out '{file}' is a file; give a folder for the results.");
        Assert.DoesNotContain("AUROC", run.Output, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public async Task Evaluate_OutNotWritable_ExitsOneBeforePrintingMetrics()
    {
        var folder = UnwritableFolder.Create(tiny.Data);

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", tiny.Data.Root, "--out", folder);

        CliAssert.BadInput(run, $"--out '{folder}' is not writable (permission denied); choose another folder.");
        Assert.DoesNotContain("AUROC", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_SymbolicLinkLoopAmongTestImages_ExitsOneNamingTheLinkWithoutCreatingOut()
    {
        var root = tiny.Data.PathFor("looping-data");
        foreach (var split in new[] { "train/normal", "test/normal", "test/abnormal" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, split)).FullName;
            File.Copy(Path.Combine(tiny.Data.Folder(split), "img_000.png"), Path.Combine(folder, "img_000.png"));
        }

        var link = Path.Combine(root, "test", "normal", "img_001.png");
        File.CreateSymbolicLink(link, link);
        var output = tiny.Data.PathFor("evaluation");

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", root, "--out", output);

        CliAssert.BadInput(run, $"Invalid dataset at '{link}': it is a symbolic link that loops");
        Assert.False(Directory.Exists(output), "The output folder was created although the inputs failed.");
    }
}
