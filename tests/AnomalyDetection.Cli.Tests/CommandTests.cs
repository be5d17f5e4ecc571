using System.Text.Json;
using AnomalyDetection.Cli.Commands;
using AnomalyDetection.Imaging;
using AnomalyDetection.Plotting;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Cli.Tests;

/// <summary>The four commands end to end on a tiny synthetic data set, and the exit-code policy for bad input.</summary>
public sealed class CommandTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>
{
    [Fact]
    public async Task TrainInfoEvaluatePredict_TinySagan_WritesModelMetricsAndPictures()
    {
        var model = data.PathFor("sagan.adm");
        var options = TinyOptions.Write(data.PathFor("sagan.json"), TinyOptions.Sagan);

        var train = await CliRun.RunAsync("train", "--detector", "sagan", "--data", data.Root, "--options", options, "--output", model);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.True(File.Exists(model));
        Assert.Contains("unlabeled pool of 12", train.Output, StringComparison.Ordinal);
        Assert.Contains("step      3/3", train.Output, StringComparison.Ordinal);

        var info = await CliRun.RunAsync("info", model);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("Detector       sagan", info.Output, StringComparison.Ordinal);
        Assert.Contains("Seed           5", info.Output, StringComparison.Ordinal);
        Assert.Contains("Training       3 steps", info.Output, StringComparison.Ordinal);
        Assert.Contains("\"convDim\": 4", info.Output, StringComparison.Ordinal);
        Assert.Matches(@"Parameters     [\d,]+ in \d+ tensors", info.Output);

        var evaluation = data.PathFor("evaluation");
        var evaluate = await CliRun.RunAsync("evaluate", "--model", model, "--data", data.Root, "--out", evaluation);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("image AUROC", evaluate.Output, StringComparison.Ordinal);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, EvaluateCommand.MetricsFile))))
        {
            var auroc = metrics.RootElement.GetProperty("image").GetProperty("auroc").GetDouble();
            var scores = metrics.RootElement.GetProperty("scores").EnumerateArray()
                .Select(s => (s.GetProperty("score").GetDouble(), s.GetProperty("label").GetString() == "Abnormal")).ToList();
            Assert.Equal(8, scores.Count);
            Assert.Equal(4, scores.Count(s => s.Item2));
            // The AUROC the file reports is the one its own scores give, counted pair by pair.
            Assert.Equal(ReferenceMetrics.PairwiseAuroc(scores), auroc, 12);
            Assert.Contains($"{auroc:F4}", evaluate.Output, StringComparison.Ordinal);
        }

        foreach (var picture in new[] { EvaluateCommand.RocFile, EvaluateCommand.PrecisionRecallFile, EvaluateCommand.ScoresFile })
        {
            var plot = ImageIO.Load(Path.Combine(evaluation, picture));
            Assert.Equal((EvaluationPlots.DefaultWidth, EvaluationPlots.DefaultHeight), (plot.Width, plot.Height));
        }

        var pictures = data.PathFor("predictions");
        var predict = await CliRun.RunAsync("predict", "--model", model, data.Folder("test/abnormal"), Path.Combine(data.Folder("test/normal"), "img_000.png"), "--out", pictures);
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal(1 + 5 + 1, predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        using (var predictions = JsonDocument.Parse(File.ReadAllText(Path.Combine(pictures, PredictCommand.PredictionsFile))))
        {
            Assert.Equal(5, predictions.RootElement.GetArrayLength());
            foreach (var entry in predictions.RootElement.EnumerateArray())
            {
                var overlay = ImageIO.Load(entry.GetProperty("overlay").GetString()!);
                var enlarged = SyntheticDataset.Side * (int)Math.Ceiling((double)PredictCommand.ReadableSide / SyntheticDataset.Side);
                Assert.Equal((enlarged, enlarged, 3), (overlay.Width, overlay.Height, overlay.Channels));
                var panel = ImageIO.Load(entry.GetProperty("panel").GetString()!);
                // The 32-pixel input is enlarged to 256-pixel tiles (input | map | overlay) under the verdict text.
                Assert.True(panel.Height > 256, $"The panel is {panel.Height} high; 256-pixel tiles under a header were expected.");
                Assert.True(panel.Width > 3 * 256, $"The panel is {panel.Width} wide; three 256-pixel tiles were expected.");
                Assert.InRange(entry.GetProperty("pValue").GetDouble(), 0, 1);
            }
        }

        // The two inputs named img_000.png keep separate pictures.
        Assert.True(File.Exists(Path.Combine(pictures, "img_000-2.panel.png")));
    }

    [Fact]
    public async Task TrainThenInfo_TinyPatchGan_WritesAPatchGanModelAndCheckpoint()
    {
        var model = data.PathFor("patchgan.adm");
        var checkpoints = data.PathFor("patchgan-checkpoints");
        var options = TinyOptions.Write(data.PathFor("patchgan.json"), TinyOptions.PatchGan);

        var train = await CliRun.RunAsync("train", "--detector", "patchgan", "--data", data.Root, "--options", options, "--checkpoints", checkpoints, "--output", model);
        var info = await CliRun.RunAsync("info", model);

        Assert.True(train.ExitCode == 0, train.Error);
        Assert.True(File.Exists(Path.Combine(checkpoints, "patchgan.checkpoint.safetensors")));
        Assert.DoesNotContain("unlabeled", train.Output, StringComparison.Ordinal);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("Detector       patchgan", info.Output, StringComparison.Ordinal);
        Assert.Contains("\"patchSize\": 8", info.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainThenEvaluate_TinyAutoencoder_WritesAnAutoencoderModelThatEvaluates()
    {
        var model = data.PathFor("autoencoder.adm");
        var options = TinyOptions.Write(data.PathFor("autoencoder.json"), TinyOptions.Autoencoder);

        var train = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", data.Root, "--options", options, "--output", model);
        var info = await CliRun.RunAsync("info", model);
        var evaluate = await CliRun.RunAsync("evaluate", "--model", model, "--data", data.Root, "--out", data.PathFor("autoencoder-evaluation"));

        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("Detector       autoencoder", info.Output, StringComparison.Ordinal);
        Assert.Contains("\"latentChannels\": 2", info.Output, StringComparison.Ordinal);
        Assert.Contains("Preprocessing\n", info.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"steps\"", info.Output, StringComparison.Ordinal);
        Assert.Matches(@"smallest possible: [0-9.]+ \(1 / \([0-9]+ held-out normal images \+ 1\)\)", info.Output);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("image AUROC", evaluate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_Cancelled_ExitsWith130AndWritesNoModel()
    {
        var model = data.PathFor("cancelled.adm");
        var options = TinyOptions.Write(data.PathFor("sagan.json"), TinyOptions.Sagan);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var train = await CliRun.RunAsync(cancellation.Token, "train", "--data", data.Root, "--options", options, "--output", model);

        Assert.Equal(ExitCodes.Cancelled, train.ExitCode);
        Assert.Contains("Training cancelled; no model file was written.", train.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Train_MissingDataFolder_ExitsOneWithAMessageAndNoStackTrace()
    {
        var missing = data.PathFor("nowhere");

        var run = await CliRun.RunAsync("train", "--data", missing, "--output", data.PathFor("m.adm"));

        AssertBadInput(run, $"Data folder '{missing}' does not exist.");
    }

    [Fact]
    public async Task Train_FolderWithoutTrainingImages_ExitsOne()
    {
        var run = await CliRun.RunAsync("train", "--data", data.Folder("test"), "--output", data.PathFor("m.adm"));

        AssertBadInput(run, "train");
    }

    [Fact]
    public async Task Train_MalformedOptionsFile_ExitsOneNamingTheFile()
    {
        var options = TinyOptions.Write(data.PathFor("broken.json"), "{ \"convDim\": ");

        var run = await CliRun.RunAsync("train", "--data", data.Root, "--options", options, "--output", data.PathFor("m.adm"));

        AssertBadInput(run, $"Options file '{options}' is not valid JSON options");
    }

    [Fact]
    public async Task Train_InvalidOptionValue_ExitsOneQuotingTheValue()
    {
        var run = await CliRun.RunAsync("train", "--data", data.Root, "--image-size", "40", "--output", data.PathFor("m.adm"));

        AssertBadInput(run, "ImageSize must be a multiple of 16 and at least 32");
    }

    [Fact]
    public async Task Train_UnknownDetector_FailsToParse()
    {
        var run = await CliRun.RunAsync("train", "--detector", "vae");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Unknown detector 'vae'; use one of: sagan, patchgan, autoencoder.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_DetectorNameInCapitals_IsTheSameDetector()
    {
        var model = data.PathFor("capitals.adm");

        var run = await CliRun.RunAsync("train", "--detector", "AutoEncoder", "--data", data.Root,
            "--options", TinyOptions.Write(data.PathFor("capitals.json"), TinyOptions.Autoencoder), "--output", model);

        Assert.True(run.ExitCode == 0, run.Error);
        var info = await CliRun.RunAsync("info", model);
        Assert.Contains("Detector       autoencoder", info.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_FileThatIsNotAModel_ExitsOne()
    {
        var path = TinyOptions.Write(data.PathFor("garbage.adm"), "not a zip");

        var run = await CliRun.RunAsync("info", path);

        AssertBadInput(run, path);
    }

    [Fact]
    public async Task Evaluate_MissingModel_ExitsOne()
    {
        var missing = data.PathFor("missing.adm");

        var run = await CliRun.RunAsync("evaluate", "--model", missing, "--data", data.Root);

        AssertBadInput(run, $"Model file '{missing}' does not exist.");
    }

    [Fact]
    public async Task Predict_MissingImage_ExitsOne()
    {
        var model = TinyOptions.Write(data.PathFor("garbage.adm"), "not a zip");
        var missing = data.PathFor("nothing.png");

        var run = await CliRun.RunAsync("predict", "--model", model, missing);

        AssertBadInput(run, "not a model file");
    }

    [Fact]
    public async Task Predict_AlphaOutsideUnit_ExitsOne()
    {
        var run = await CliRun.RunAsync("predict", "--model", "m.adm", "--alpha", "2", data.Folder("test/normal"));

        AssertBadInput(run, "--alpha must be in [0, 1] (was 2).");
    }

    private static void AssertBadInput(CliRun run, string expectedMessage)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
