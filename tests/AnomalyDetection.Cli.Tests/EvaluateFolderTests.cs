using AnomalyDetection.Imaging;

namespace AnomalyDetection.Cli.Tests;

/// <summary><c>evaluate --data</c> takes the labelled images alone: a data set without <c>train/</c>, or a folder with
/// <c>normal/</c>, <c>abnormal/</c> and optional <c>masks/</c> directly.</summary>
public sealed class EvaluateFolderTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Evaluate_FolderOfNormalAbnormalAndMasks_ReportsImageAndPixelMetrics()
    {
        var root = tiny.Data.PathFor("labelled");
        CopyImages("test/normal", Path.Combine(root, "normal"));
        CopyImages("test/abnormal", Path.Combine(root, "abnormal"));
        WriteLesionMasks(Path.Combine(root, "abnormal"), Path.Combine(root, "masks"));

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", root, "--out", tiny.Data.PathFor("evaluation"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"images \(normal / anomalous\)\s+4 / 4", run.Output);
        Assert.Contains("pixel AUROC", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_DataSetWithoutTrainFolder_ScoresItsTestFolder()
    {
        var root = tiny.Data.PathFor("test-only");
        CopyImages("test/normal", Path.Combine(root, "test", "normal"));
        CopyImages("test/abnormal", Path.Combine(root, "test", "abnormal"));

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", root, "--out", tiny.Data.PathFor("evaluation"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"images \(normal / anomalous\)\s+4 / 4", run.Output);
        Assert.DoesNotContain("pixel AUROC", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_FolderWithNeitherLayout_ExitsOneNamingBoth()
    {
        var root = Directory.CreateDirectory(tiny.Data.PathFor("nothing-labelled")).FullName;
        CopyImages("train/normal", Path.Combine(root, "train", "normal"));

        var run = await CliRun.RunAsync("evaluate", "--model", tiny.Model, "--data", root, "--out", tiny.Data.PathFor("evaluation"));

        CliAssert.BadInput(run, $"Invalid dataset at '{root}': the folder has neither normal/ nor abnormal/ inside.");
    }

    private void CopyImages(string split, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(tiny.Data.Folder(split)))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    /// <summary>A mask for each abnormal image, covering the square the synthetic data set draws.</summary>
    private static void WriteLesionMasks(string abnormal, string masks)
    {
        Directory.CreateDirectory(masks);
        var side = SyntheticDataset.Side;
        var pixels = new float[side * side];
        for (var y = 12; y < 20; y++)
        {
            for (var x = 10; x < 18; x++)
            {
                pixels[(y * side) + x] = 1f;
            }
        }

        foreach (var file in Directory.GetFiles(abnormal))
        {
            ImageIO.SavePng(ImageData.FromPlanar(side, side, 1, pixels), Path.Combine(masks, Path.GetFileName(file)));
        }
    }
}
