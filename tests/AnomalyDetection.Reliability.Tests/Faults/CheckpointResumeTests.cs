using AnomalyDetection.Autoencoder;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.PatchGan;

namespace AnomalyDetection.Reliability.Tests.Faults;

/// <summary>
/// Patch-GAN and the autoencoder killed mid-run resume from their last checkpoint to the uninterrupted result, also
/// mid-epoch (Patch-GAN: 9 training images in batches of 8, 2 steps an epoch; the autoencoder: batches of 4, 3 steps an
/// epoch; 6 steps each), and refuse a checkpoint of other settings.
/// </summary>
public class CheckpointResumeTests
{
    /// <summary>The steps after which the run is killed.</summary>
    public static readonly TheoryData<int> KillSteps = [1, 2, 3, 5];

    private const int Steps = 6;

    private static readonly Lazy<Fitted> UninterruptedPatchGan = new(() => Fitted.Of(new PatchGanDetector(PatchGan(checkpoints: null))));

    private static readonly Lazy<Fitted> UninterruptedAutoencoder = new(() => Fitted.Of(new AutoencoderDetector(Autoencoder(checkpoints: null))));

    [Theory]
    [MemberData(nameof(KillSteps))]
    public void Fit_PatchGanCancelledAfterAStep_ResumesToTheUninterruptedWeightsAndScores(int killStep)
    {
        using var folder = new TempFolder();
        var options = PatchGan(folder.Path);
        options.CheckpointInterval = 1;
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => new PatchGanDetector(options).Fit(Data(), new CancelAt(killStep, cancel), cancel.Token));
        Assert.True(File.Exists(Path.Combine(folder.Path, "patchgan.checkpoint.safetensors")));
        var resumed = new PatchGanDetector(options);
        var steps = new List<long>();
        resumed.Fit(Data(), new Recorder(steps));

        Assert.Equal(Enumerable.Range(killStep + 1, Steps - killStep).Select(s => (long)s), steps);
        UninterruptedPatchGan.Value.AssertSameAs(Fitted.Of(resumed, fit: false));
    }

    [Theory]
    [MemberData(nameof(KillSteps))]
    public void Fit_AutoencoderKilledAfterAStep_ResumesFromItsLastCheckpointToTheUninterruptedWeightsAndScores(int killStep)
    {
        using var folder = new TempFolder();
        var options = Autoencoder(folder.Path);
        options.CheckpointInterval = 2;

        // The exception stands for the process dying: the steps after the last checkpoint are lost with it.
        Assert.Throws<SimulatedCrashException>(() => new AutoencoderDetector(options).Fit(Data(), new CrashAt(killStep)));
        var resumed = new AutoencoderDetector(options);
        var steps = new List<long>();
        resumed.Fit(Data(), new Recorder(steps));

        var lastCheckpoint = killStep / 2 * 2;
        Assert.Equal(Enumerable.Range(lastCheckpoint + 1, Steps - lastCheckpoint).Select(s => (long)s), steps);
        UninterruptedAutoencoder.Value.AssertSameAs(Fitted.Of(resumed, fit: false));
    }

    [Fact]
    public void Fit_FinishedCheckpoint_TrainsNoFurtherStepAndGivesTheSameModel()
    {
        using var folder = new TempFolder();
        var options = PatchGan(folder.Path);
        new PatchGanDetector(options).Fit(Data());

        var again = new PatchGanDetector(options);
        var steps = new List<long>();
        again.Fit(Data(), new Recorder(steps));

        Assert.Empty(steps);
        Assert.Equal(Steps, again.LastTraining!.Steps);
        Assert.Equal(UninterruptedPatchGan.Value.Training.FinalLosses, again.LastTraining.FinalLosses);
        UninterruptedPatchGan.Value.AssertSameAs(Fitted.Of(again, fit: false));
    }

    [Fact]
    public void Fit_PatchGanCheckpointOfOtherSettings_RefusesToResume()
    {
        using var folder = new TempFolder();
        var options = PatchGan(folder.Path);
        options.CheckpointInterval = 1;
        Assert.Throws<SimulatedCrashException>(() => new PatchGanDetector(options).Fit(Data(), new CrashAt(2)));

        options.MaskedPixelWeight = 3;
        var error = Assert.Throws<InvalidCheckpointException>(() => new PatchGanDetector(options).Fit(Data()));

        Assert.Matches(@"maskedPixel \S+ in the checkpoint, 3 in this run", error.Message);
        Assert.Contains("CheckpointDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_AutoencoderCheckpointOfOtherData_RefusesToResume()
    {
        using var folder = new TempFolder();
        var options = Autoencoder(folder.Path);
        options.CheckpointInterval = 1;
        Assert.Throws<SimulatedCrashException>(() => new AutoencoderDetector(options).Fit(Data(), new CrashAt(2)));

        var error = Assert.Throws<InvalidCheckpointException>(() => new AutoencoderDetector(options).Fit(new TrainingData(Tiny.Dataset("normal", 16, seed: 1))));

        Assert.Matches(@"normal \d+ in the checkpoint, 12 in this run", error.Message);
        Assert.Contains("CheckpointDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CheckpointOfAnotherDetector_RefusesToResume()
    {
        using var folder = new TempFolder();
        new AutoencoderDetector(Autoencoder(folder.Path)).Fit(Data());
        File.Move(Path.Combine(folder.Path, "autoencoder.checkpoint.safetensors"), Path.Combine(folder.Path, "patchgan.checkpoint.safetensors"));

        var error = Assert.Throws<InvalidCheckpointException>(() => new PatchGanDetector(PatchGan(folder.Path)).Fit(Data()));

        Assert.Contains("patchgan-checkpoint-2", error.Message, StringComparison.Ordinal);
    }

    private static PatchGanOptions PatchGan(string? checkpoints)
    {
        var options = Tiny.PatchGan(seed: 4);
        options.MaxSteps = Steps;
        options.CheckpointDirectory = checkpoints;
        return options;
    }

    private static AutoencoderOptions Autoencoder(string? checkpoints)
    {
        var options = Tiny.Autoencoder(seed: 4);
        options.CheckpointDirectory = checkpoints;
        return options;
    }

    /// <summary>12 normal images: 9 for training, 3 for calibration.</summary>
    private static TrainingData Data() => new(Tiny.Dataset("normal", 12, seed: 1));

    /// <summary>A fitted detector's weights (from its saved model file), scores and training summary.</summary>
    private sealed record Fitted(IReadOnlyDictionary<string, float[]> Weights, float[] Scores, TrainingSummary Training)
    {
        public static Fitted Of<TOptions>(AnomalyDetectorBase<TOptions> detector, bool fit = true)
            where TOptions : DetectorOptions
        {
            if (fit)
            {
                detector.Fit(Data());
            }

            using var file = new MemoryStream();
            detector.SaveAsync(file).GetAwaiter().GetResult();
            file.Position = 0;
            var weights = ModelFile.ReadAsync(file, "resumed").GetAwaiter().GetResult().Weights;
            return new(
                weights.ToDictionary(w => w.Key, w => AnomalyDetection.Engine.TensorData.ToArray(w.Value)),
                [.. detector.PredictBatch(Tiny.Images(6, seed: 99)).Select(p => p.Score)],
                detector.LastTraining!);
        }

        public void AssertSameAs(Fitted other)
        {
            Assert.Equal(Weights.Keys.Order(StringComparer.Ordinal), other.Weights.Keys.Order(StringComparer.Ordinal));
            Assert.All(Weights, w => Assert.Equal(w.Value, other.Weights[w.Key]));
            Assert.Equal(Scores, other.Scores);
            Assert.Equal(Training.Steps, other.Training.Steps);
        }
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("reliability-checkpoint");

        public string Path => _folder.FullName;

        public void Dispose() => _folder.Delete(recursive: true);
    }

    private sealed class SimulatedCrashException(long step) : Exception($"Simulated crash after step {step}.");

    private sealed class CrashAt(long step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                throw new SimulatedCrashException(step);
            }
        }
    }

    private sealed class CancelAt(long step, CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                cancel.Cancel();
            }
        }
    }

    private sealed class Recorder(List<long> steps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => steps.Add(value.Step);
    }
}
