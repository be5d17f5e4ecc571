namespace AnomalyDetection.Evaluation.Tests;

public sealed class RunCommandTests
{
    private const string Configurations = """
        {
          "tiny-patchgan": { "detector": "patchgan", "preprocessing": "auto",
            "options": { "ImageSize": 32, "PatchSize": 8, "ReconstructorBaseWidth": 4, "DiscriminatorBaseWidth": 4, "DiscriminatorLayers": 2,
                         "BatchSize": 8, "MaxSteps": 4, "MapSmoothingSigma": 1, "ValidationFraction": 0.25 } },
          "tiny-sagan": { "detector": "sagan", "options": { "ImageSize": 32, "ConvDim": 2, "RepeatNum": 1, "CriticRepeatNum": 1, "BatchSize": 4,
                         "MaxSteps": 2, "ValidationInterval": 1, "ValidationFraction": 0.25 }, "pool": { "abnormalRatio": 0.5 } },
          "brightness": { "detector": "baseline", "options": { "Statistic": "Mean" } }
        }
        """;

    [Fact]
    public async Task Run_TinyPatchGanTwoSeeds_AppendsOneRowPerSeed()
    {
        using var folders = new SyntheticFolders();
        var (code, results, error) = await Run(folders, "--detector", "patchgan", "--config", "tiny-patchgan", "--seed", "3", "4", "--set", "MaxSteps=3");

        Assert.True(code == 0, error);
        Assert.Equal([3L, 4L], results.Select(r => r.Seed));
        var row = results[0];
        Assert.Equal(("scans", "patchgan", "tiny-patchgan", 32, 3L), (row.Dataset, row.Detector, row.Configuration, row.ImageSize, row.Steps));
        Assert.Equal("3", row.Settings["MaxSteps"]);
        Assert.Equal((4, 4), (row.TestNormal, row.TestAbnormal));
        // 4 normal × 4 abnormal test images: the image AUROC counts 16 pairs, a tie as a half, so it is a multiple of 1/32
        // (a pixel AUROC or a mix-up of fields would almost never be).
        Assert.InRange(row.ImageAuroc, 0, 1);
        Assert.Equal(Math.Round(row.ImageAuroc * 32), row.ImageAuroc * 32, 9);
        Assert.NotNull(row.PixelAuroc);
        // The proxy scores the held-out training normals (ValidationFraction 0.25 of 16 = 4) against one synthetic anomaly
        // each: 16 pairs, so it too is a multiple of 1/32.
        Assert.NotNull(row.ProxyImageAuroc);
        Assert.Equal(Math.Round(row.ProxyImageAuroc.Value * 32), row.ProxyImageAuroc.Value * 32, 9);
        Assert.Contains("proxy AUROC", error, StringComparison.Ordinal);
        Assert.True(row.TrainingSeconds > 0);
        Assert.Contains("--set MaxSteps=3", row.Command, StringComparison.Ordinal);
        // No argument is the synthetic folders' absolute path, which would name this machine's temporary folder.
        Assert.DoesNotContain($" {folders.Root}", row.Command, StringComparison.Ordinal);
        Assert.Contains($"--dataset {Path.GetRelativePath(Environment.CurrentDirectory, folders.Path("scans")).Replace('\\', '/')} ", row.Command, StringComparison.Ordinal);
        Assert.Contains("training on 16 normal images", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TinySagan_BuildsThePoolFromTheAbnormalExtraFolder()
    {
        using var folders = new SyntheticFolders();
        var (code, results, error) = await Run(folders, "--detector", "sagan", "--config", "tiny-sagan");

        Assert.True(code == 0, error);
        var row = Assert.Single(results);
        Assert.Equal("16 images, 0.5 abnormal from extra/train_abnormal, the rest normal training images", row.Pool);
        Assert.Contains("pool 16", error, StringComparison.Ordinal);
        Assert.Null(row.SelectedStep); // without SelectBestCheckpoint the last weights are kept
    }

    [Fact]
    public async Task Run_TinySaganWithHeldOutPool_RecordsThePoolSeparationMetricItsCurveAndTheKeptStep()
    {
        using var folders = new SyntheticFolders();
        var (code, results, error) = await Run(folders, "--detector", "sagan", "--config", "tiny-sagan", "--set", "PoolValidationFraction=0.25",
            "--set", "SelectBestCheckpoint=true");

        Assert.True(code == 0, error);
        var row = Assert.Single(results);
        // 4 held-out normals (0.25 of 16) against 4 held-out pool images (0.25 of 16): 1 − AUROC over 16 pairs, a multiple of 1/32.
        Assert.NotNull(row.ValidationMetric);
        Assert.Equal(Math.Round(row.ValidationMetric.Value * 32), row.ValidationMetric.Value * 32, 9);
        Assert.Contains("validation metric", error, StringComparison.Ordinal);
        // tiny-sagan validates after each of its 2 steps; the row keeps both, the last is the row's metric, and the kept
        // step is the first of the lowest.
        Assert.NotNull(row.ValidationCurve);
        Assert.Equal([1L, 2L], row.ValidationCurve.Select(point => point.Step));
        Assert.Equal(row.ValidationMetric, row.ValidationCurve[^1].Metric);
        var best = row.ValidationCurve.Min(point => point.Metric);
        Assert.Equal(row.ValidationCurve.First(point => point.Metric == best).Step, row.SelectedStep);
        Assert.Contains($"kept the weights of step {row.SelectedStep}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Baseline_ScoresTheBrightLesions()
    {
        using var folders = new SyntheticFolders();
        var (code, results, error) = await Run(folders, "--detector", "baseline", "--config", "brightness");

        Assert.True(code == 0, error);
        var row = Assert.Single(results);
        // Every abnormal image adds a 0.95 lesion to the same kind of disc, so brightness separates them all.
        Assert.Equal(1.0, row.ImageAuroc);
        Assert.Equal(0, row.TrainingSeconds);
        Assert.Null(row.ProxyImageAuroc);
        Assert.True(row.PixelAuroc > 0.9, $"pixel AUROC {row.PixelAuroc}");
    }

    [Fact]
    public async Task Run_ConfigurationForAnotherDetector_FailsBeforeTraining()
    {
        using var folders = new SyntheticFolders();
        var (code, results, error) = await Run(folders, "--detector", "sagan", "--config", "brightness");

        Assert.Equal(1, code);
        Assert.Empty(results);
        Assert.Contains("Configuration 'brightness' is for detector 'baseline', not 'sagan'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_AfterRun_WritesThePage()
    {
        using var folders = new SyntheticFolders();
        var (code, _, runError) = await Run(folders, "--detector", "baseline", "--config", "brightness");
        Assert.True(code == 0, runError);
        var page = folders.Path("benchmarks.md");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var renderCode = await EvaluationApplication.RunAsync(
            ["render", "--results", folders.Path("results.jsonl"), "--notes", folders.Path("none.md"), "--out", page], output, error);

        Assert.True(renderCode == 0, error.ToString());
        Assert.Contains("| baseline | brightness | TorchSharp cpu | 1 | native | 0 | none | 1.000 ± — |", File.ReadAllText(page), StringComparison.Ordinal);
    }

    private static async Task<(int Code, IReadOnlyList<ResultRow> Results, string Error)> Run(SyntheticFolders folders, params string[] arguments)
    {
        var dataset = folders.WriteScans();
        var configurations = folders.Path("configurations.json");
        File.WriteAllText(configurations, Configurations);
        var results = folders.Path("results.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await EvaluationApplication.RunAsync(
            ["run", "--dataset", dataset, "--results", results, "--configurations", configurations, .. arguments], output, error);

        return (code, File.Exists(results) ? ResultsFile.Read(results) : [], error.ToString());
    }
}
