namespace AnomalyDetection.Cli.Tests;

/// <summary><c>predict</c> given a bad output path or a looping link: one line naming the path, before anything is
/// scored or written.</summary>
public sealed class PredictFailureTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Predict_OutIsAFile_ExitsOneNamingItBeforeScoring()
    {
        var file = TinyOptions.Write(tiny.Data.PathFor("results.txt"), "keep me");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, tiny.Data.Folder("test/normal"), "--out", file);

        CliAssert.BadInput(run, $"--out '{file}' is a file; give a folder for the results.");
        Assert.Equal("", run.Output);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public async Task Predict_OutUnderAFile_ExitsOneNamingTheFile()
    {
        var file = TinyOptions.Write(tiny.Data.PathFor("results.txt"), "keep me");
        var output = Path.Combine(file, "pictures");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, tiny.Data.Folder("test/normal"), "--out", output);

        CliAssert.BadInput(run, $"--out '{output}' cannot be created: '{file}' is a file, not a folder.");
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Predict_OutNotWritable_ExitsOneNamingItBeforeScoring()
    {
        var folder = UnwritableFolder.Create(tiny.Data);

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, tiny.Data.Folder("test/normal"), "--out", folder);

        CliAssert.BadInput(run, $"--out '{folder}' is not writable (permission denied); choose another folder.");
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Predict_SymbolicLinkLoopAmongImages_ExitsOneNamingTheLink()
    {
        var folder = Directory.CreateDirectory(tiny.Data.PathFor("looping")).FullName;
        File.Copy(Path.Combine(tiny.Data.Folder("test/normal"), "img_000.png"), Path.Combine(folder, "img_000.png"));
        var first = Path.Combine(folder, "loop_a.png");
        File.CreateSymbolicLink(first, Path.Combine(folder, "loop_b.png"));
        File.CreateSymbolicLink(Path.Combine(folder, "loop_b.png"), first);
        var output = tiny.Data.PathFor("predictions");

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, folder, "--out", output);

        CliAssert.BadInput(run, $"'{first}' is a symbolic link that loops (it never reaches a file); remove or fix the link.");
        Assert.False(Directory.Exists(output), "The output folder was created although the inputs failed.");
    }

    [Fact]
    public async Task Predict_SymbolicLinkLoopGivenDirectly_ExitsOneNamingTheLink()
    {
        var folder = Directory.CreateDirectory(tiny.Data.PathFor("looping")).FullName;
        var link = Path.Combine(folder, "self.png");
        File.CreateSymbolicLink(link, link);

        var run = await CliRun.RunAsync("predict", "--model", tiny.Model, link, "--out", tiny.Data.PathFor("predictions"));

        CliAssert.BadInput(run, $"'{link}' is a symbolic link that loops");
    }
}
