using AnomalyDetection.Autoencoder;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Cli.Tests;

/// <summary>How <c>train</c> fails (issue 16): unusable output and checkpoint paths are refused before training, a save
/// that fails after training keeps the model in a recovery file, and a diverging run, a checkpoint of other settings
/// and a damaged checkpoint each end in one line naming what is wrong.</summary>
public sealed class TrainFailureTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>
{
    [Fact]
    public async Task Train_OutputIsAnExistingFolder_RefusesBeforeTraining()
    {
        var folder = Directory.CreateDirectory(data.PathFor("a-folder")).FullName;

        var run = await TrainAutoencoderAsync("--output", folder);

        AssertRefusedBeforeTraining(run, $"Output '{folder}' is a folder; give --output the model file to write");
    }

    [Fact]
    public async Task Train_OutputBelowAFile_RefusesBeforeTrainingNamingTheFile()
    {
        var file = TinyOptions.Write(data.PathFor("plain-file"), "not a folder");

        var run = await TrainAutoencoderAsync("--output", Path.Combine(file, "sub", "model.adm"));

        AssertRefusedBeforeTraining(run, $"'{file}' is a file, not a folder.");
    }

    [Fact]
    public async Task Train_CheckpointsIsAFile_RefusesBeforeTrainingNamingTheCheckpointFolder()
    {
        var file = TinyOptions.Write(data.PathFor("checkpoints-file"), "not a folder");

        var run = await TrainAutoencoderAsync("--checkpoints", file, "--output", data.PathFor("m.adm"));

        AssertRefusedBeforeTraining(run, $"Checkpoint folder '{file}' is a file; give --checkpoints a folder");
    }

    [Fact]
    public async Task Train_CheckpointFolderBelowAFile_RefusesNamingTheCheckpointFolder()
    {
        var file = TinyOptions.Write(data.PathFor("checkpoints-parent"), "not a folder");
        var folder = Path.Combine(file, "checkpoints");

        var run = await TrainAutoencoderAsync("--checkpoints", folder, "--output", data.PathFor("m.adm"));

        AssertRefusedBeforeTraining(run, $"Cannot write checkpoints to the checkpoint folder '{folder}': '{file}' is a file, not a folder.");
    }

    [Fact]
    public async Task Train_OutputInAFolderNotYetMade_TrainsAndCreatesIt()
    {
        var model = Path.Combine(data.PathFor("new-folder"), "deeper", "model.adm");

        var run = await TrainAutoencoderAsync("--output", model);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task SaveWithFallback_PathThatBecameUnwritable_KeepsTheModelInARecoveryFileItNames()
    {
        var detector = FittedAutoencoder();
        var blocker = TinyOptions.Write(data.PathFor("blocker"), "a file where the model's folder should be");
        var path = Path.Combine(blocker, "model.adm");
        var recoveryFolder = Directory.CreateDirectory(data.PathFor("recovery")).FullName;
        var saver = new ModelSaveWithFallback([recoveryFolder], new FixedClock(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)));

        var error = await Assert.ThrowsAsync<CliException>(() => saver.SaveAsync(detector, path, CancellationToken.None));

        var recovery = Path.Combine(recoveryFolder, "model.adm.recovered-20250304-050607");
        Assert.StartsWith($"Could not write the model to '{path}' (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the trained model was saved to '{recovery}' instead.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        var loaded = await KnownDetectors.LoadAsync(recovery, CancellationToken.None);
        var sample = ImageIO.Load(data.Folder("test/abnormal/img_000.png"));
        Assert.Equal(detector.Predict(sample).Score, loaded.Predict(sample).Score);
    }

    [Fact]
    public async Task SaveWithFallback_NoFolderTakesTheModel_SaysTheModelIsLost()
    {
        var detector = FittedAutoencoder();
        var blocker = TinyOptions.Write(data.PathFor("blocker"), "a file");
        var saver = new ModelSaveWithFallback([Path.Combine(blocker, "recovery")], TimeProvider.System);

        var error = await Assert.ThrowsAsync<CliException>(() => saver.SaveAsync(detector, Path.Combine(blocker, "model.adm"), CancellationToken.None));

        Assert.EndsWith("the trained model is lost.", error.Message, StringComparison.Ordinal);
        Assert.Contains($"nor a recovery file in '{Path.Combine(blocker, "recovery")}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_SaganLearningRate1e30_IsRefusedBeforeTrainingQuotingTheValue()
    {
        var options = TinyOptions.Write(data.PathFor("lr.json"), TinyOptions.Sagan.Replace("\"seed\": 5", "\"seed\": 5, \"learningRate\": 1e30", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("train", "--data", data.Root, "--options", options, "--output", data.PathFor("m.adm"));

        AssertRefusedBeforeTraining(run, "LearningRate must be in (0, 1] (was 1E+30)");
    }

    [Fact]
    public async Task Train_Diverging_EndsInOneLineNamingTheStepAndLossAndWritesNoModel()
    {
        // A float32 loss times 1e300 overflows within the first steps.
        var options = TinyOptions.Write(data.PathFor("diverge.json"), TinyOptions.Sagan.Replace("\"seed\": 5", "\"seed\": 5, \"identityWeight\": 1e300", StringComparison.Ordinal));
        var model = data.PathFor("diverged.adm");

        var run = await CliRun.RunAsync("train", "--data", data.Root, "--options", options, "--output", model);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Matches(@"^error: Training diverged at step [12]: loss '\w+' is (-?Infinity|NaN)\. Training stopped without keeping the diverged weights; lower the learning rate or loss weights, or check the input intensities\.( NaN this early on a CPU can also come from oneDNN's wider kernels on this processor: set ONEDNN_MAX_CPU_ISA=SSE41 and retry\.)?$",
            run.Error.Trim());
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Train_ResumingWithAnotherImageSize_NamesTheCheckpointAndTheSettingThatDiffers()
    {
        var checkpoints = data.PathFor("checkpoints");
        var first = await TrainAutoencoderAsync("--checkpoints", checkpoints, "--output", data.PathFor("first.adm"));
        Assert.True(first.ExitCode == 0, first.Error);

        var run = await TrainAutoencoderAsync("--checkpoints", checkpoints, "--image-size", "32", "--output", data.PathFor("second.adm"));

        var checkpoint = Path.Combine(checkpoints, "autoencoder.checkpoint.safetensors");
        AssertOneLineError(run, $"error: Checkpoint '{checkpoint}' was written by a run with other settings or data (size 16 in the checkpoint, 32 in this run); delete it or use another --checkpoints folder.");
    }

    [Fact]
    public async Task Train_CheckpointOfAnotherDetector_NamesTheCheckpointAndItsFormat()
    {
        var checkpoints = data.PathFor("checkpoints");
        Assert.Equal(0, (await TrainAutoencoderAsync("--checkpoints", checkpoints, "--output", data.PathFor("first.adm"))).ExitCode);
        var checkpoint = Path.Combine(checkpoints, "patchgan.checkpoint.safetensors");
        File.Move(Path.Combine(checkpoints, "autoencoder.checkpoint.safetensors"), checkpoint);

        var run = await CliRun.RunAsync("train", "--detector", "patchgan", "--data", data.Root, "--checkpoints", checkpoints,
            "--options", TinyOptions.Write(data.PathFor("patchgan.json"), TinyOptions.PatchGan), "--output", data.PathFor("m.adm"));

        AssertOneLineError(run, $"error: Checkpoint '{checkpoint}' was written by another detector or version (format 'autoencoder-checkpoint-2'; this run reads 'patchgan-checkpoint-2'); delete it or use another --checkpoints folder.");
    }

    [Fact]
    public async Task Train_EmptyCheckpoint_NamesTheFileAsEmpty()
    {
        var checkpoints = Directory.CreateDirectory(data.PathFor("checkpoints")).FullName;
        var checkpoint = TinyOptions.Write(Path.Combine(checkpoints, "autoencoder.checkpoint.safetensors"), "");

        var run = await TrainAutoencoderAsync("--checkpoints", checkpoints, "--output", data.PathFor("m.adm"));

        AssertOneLineError(run, $"error: Checkpoint '{checkpoint}' is empty (0 bytes); delete it or use another --checkpoints folder.");
    }

    [Fact]
    public async Task Train_TruncatedCheckpoint_NamesTheFileAsTruncated()
    {
        var checkpoints = data.PathFor("checkpoints");
        Assert.Equal(0, (await TrainAutoencoderAsync("--checkpoints", checkpoints, "--output", data.PathFor("first.adm"))).ExitCode);
        var checkpoint = Path.Combine(checkpoints, "autoencoder.checkpoint.safetensors");
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);

        var run = await TrainAutoencoderAsync("--checkpoints", checkpoints, "--output", data.PathFor("m.adm"));

        Assert.StartsWith($"error: Checkpoint '{checkpoint}' is truncated or damaged (", run.Error, StringComparison.Ordinal);
        AssertOneLineError(run, "); delete it or use another --checkpoints folder.");
    }

    [Fact]
    public async Task Train_ImageSize4096_IsRefusedBeforeTrainingNamingTheEstimateAndTheAvailableMemory()
    {
        // At least 5 · 64 channels of 4096² floats per image at full resolution: far beyond any test machine.
        var options = TinyOptions.Write(data.PathFor("huge.json"), TinyOptions.Sagan.Replace("\"convDim\": 4", "\"convDim\": 64", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("train", "--data", data.Root, "--options", options, "--image-size", "4096", "--batch-size", "8", "--output", data.PathFor("m.adm"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Matches(@"^error: Training this sagan detector needs at least [0-9.]+ GB of memory \(ImageSize 4096, BatchSize 8, \d+ images\), but [0-9.]+ GB is available; lower ImageSize or BatchSize\.$", run.Error.Trim());
        Assert.DoesNotContain("step", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryEstimate_EveryDetector_GrowsWithTheImageSideSquared()
    {
        Func<int, DetectorOptions>[] detectors = [side => new SaganOptions { ImageSize = side }, side => new PatchGanOptions { ImageSize = side, PatchSize = 16 }, side => new AutoencoderOptions { ImageSize = side }];

        foreach (var options in detectors)
        {
            var (side64, side128, side256) = (TrainingMemoryEstimate.MinimumBytes(options(64), 100), TrainingMemoryEstimate.MinimumBytes(options(128), 100), TrainingMemoryEstimate.MinimumBytes(options(256), 100));
            Assert.True(side64 > 0, $"{options(64).GetType().Name} gives no estimate.");
            // Differences: the saved weights, counted from the network, are the same at every side and drop out.
            var growth = (double)(side256 - side128) / (side128 - side64);
            Assert.True(growth is >= 3.9 and <= 4.1, $"{options(64).GetType().Name}: ×{growth:F2} per doubling of the side");
        }
    }

    private Task<CliRun> TrainAutoencoderAsync(params string[] extra) =>
        CliRun.RunAsync(["train", "--detector", "autoencoder", "--data", data.Root,
            "--options", TinyOptions.Write(data.PathFor("autoencoder.json"), TinyOptions.Autoencoder), .. extra]);

    private AutoencoderDetector FittedAutoencoder()
    {
        var detector = new AutoencoderDetector(new AutoencoderOptions
        {
            ImageSize = 16, BaseWidth = 4, Depth = 2, LatentChannels = 2, MaxSteps = 2, BatchSize = 4, ValidationFraction = 0.34, Seed = 5,
        });
        detector.Fit(new TrainingData(FolderDatasetReader.Read(data.Root).Train));
        return detector;
    }

    /// <summary>Training must not have started: the run stops before the "Training … on N normal images" line.</summary>
    private static void AssertRefusedBeforeTraining(CliRun run, string expectedMessage)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Training", run.Output, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(CliRun run, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
