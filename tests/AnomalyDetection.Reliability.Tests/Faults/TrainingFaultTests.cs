using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Reliability.Tests.Faults;

/// <summary>Training killed mid-run resumes to the uninterrupted result; a diverging run stops with
/// <see cref="TrainingDivergedException"/> and leaves nothing that predicts NaN.</summary>
public class TrainingFaultTests
{
    /// <summary>The steps after which the simulated crash happens (the checkpoint interval is 2, over 6 iterations).</summary>
    public static readonly TheoryData<int> CrashSteps = [1, 2, 3, 5];

    private static readonly Lazy<(SaganDetector Detector, float[] Scores)> Uninterrupted = new(() =>
    {
        var detector = new SaganDetector(Tiny.Sagan(iterations: 6));
        detector.Fit(Tiny.SaganData());
        return (detector, Scores(detector));
    });

    [Theory]
    [MemberData(nameof(CrashSteps))]
    public void Fit_SaganKilledAfterAStep_ResumesFromItsLastCheckpointToTheUninterruptedResult(int crashStep)
    {
        var folder = Directory.CreateTempSubdirectory("reliability-resume");
        try
        {
            var options = Tiny.Sagan(iterations: 6);
            options.CheckpointDirectory = folder.FullName;
            options.CheckpointInterval = 2;

            // The exception stands for the process dying: the work after the last checkpoint is lost with it.
            Assert.Throws<SimulatedCrashException>(() => new SaganDetector(options).Fit(Tiny.SaganData(), new CrashAt(crashStep)));
            var resumed = new SaganDetector(options);
            var steps = new List<long>();
            resumed.Fit(Tiny.SaganData(), new Recorder(steps));

            var lastCheckpoint = crashStep / 2 * 2;
            Assert.Equal(Enumerable.Range(lastCheckpoint + 1, 6 - lastCheckpoint).Select(s => (long)s), steps);
            Assert.Equal(Uninterrupted.Value.Scores, Scores(resumed));
            Assert.Equal(Uninterrupted.Value.Detector.Calibration, resumed.Calibration);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Fit_SaganAbsurdLossWeight_StopsWithTheStepAndLossThatDiverged()
    {
        var folder = Directory.CreateTempSubdirectory("reliability-diverge");
        try
        {
            // The learning rate is capped at 1 now; a loss weight of 1e300 still overflows a float32 loss.
            var options = Tiny.Sagan(iterations: 20);
            options.IdentityWeight = 1e300;
            options.CheckpointDirectory = folder.FullName;
            options.CheckpointInterval = 1;
            var detector = new SaganDetector(options);
            var reports = new List<TrainingProgress>();

            var error = Assert.Throws<TrainingDivergedException>(() => detector.Fit(Tiny.SaganData(), new Recorder(reports)));

            Assert.InRange(error.Step, 1, 20);
            Assert.False(double.IsFinite(error.Value));
            Assert.Contains($"step {error.Step}", error.Message);
            Assert.Contains($"'{error.LossName}'", error.Message);
            Assert.Equal(error.Step - 1, reports.Count);
            Assert.All(reports, r => Assert.All(r.Losses.Values, v => Assert.True(double.IsFinite(v))));
            Assert.False(detector.IsFitted);
            Assert.Throws<InvalidOperationException>(() => detector.Predict(Tiny.Image(new(1))));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Fit_PatchGanOverflowingActivations_StopsWithoutAModelToSave()
    {
        var detector = new PatchGanDetector(Tiny.PatchGan(seed: 1));

        var error = Assert.Throws<TrainingDivergedException>(() => detector.Fit(new TrainingData(Overflowing())));

        Assert.Equal(1, error.Step);
        Assert.False(detector.IsFitted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => detector.SaveAsync(new MemoryStream()));
    }

    [Fact]
    public void Fit_RefitThatDiverges_DropsTheEarlierCalibration()
    {
        var detector = new PatchGanDetector(Tiny.PatchGan(seed: 2));
        detector.Fit(new TrainingData(Tiny.Dataset("normal", 12, seed: 1)));
        Assert.True(float.IsFinite(detector.Predict(Tiny.Image(new(1))).Score));

        Assert.Throws<TrainingDivergedException>(() => detector.Fit(new TrainingData(Overflowing())));

        // The weights changed before the loss overflowed, so the old thresholds no longer describe them.
        Assert.False(detector.IsFitted);
        Assert.Null(detector.LastTraining);
        Assert.Throws<InvalidOperationException>(() => detector.Predict(Tiny.Image(new(1))));
    }

    [Fact]
    public void ThrowIfDiverged_ExtremeFiniteLosses_PassUntilOneOverflows()
    {
        var losses = new Dictionary<string, double> { ["a"] = double.MaxValue, ["b"] = -double.MaxValue, ["c"] = double.Epsilon };

        Assert.Null(Record.Exception(() => TrainingDivergedException.ThrowIfDiverged(3, losses)));

        losses["d"] = double.MaxValue * 2;
        var error = Assert.Throws<TrainingDivergedException>(() => TrainingDivergedException.ThrowIfDiverged(3, losses));
        Assert.Equal(("d", 3L), (error.LossName, error.Step));
        Assert.Equal(double.PositiveInfinity, error.Value);
    }

    [Fact]
    public void ThrowIfDiverged_NonFiniteLosses_ReportsTheFirstByName()
    {
        var error = Assert.Throws<TrainingDivergedException>(() => TrainingDivergedException.ThrowIfDiverged(7,
            new Dictionary<string, double> { ["z"] = double.NaN, ["critic"] = double.PositiveInfinity, ["a"] = 0 }));

        Assert.Equal((7L, "critic", double.PositiveInfinity), (error.Step, error.LossName, error.Value));
        Assert.Contains("step 7: loss 'critic' is Infinity", error.Message);
    }

    [Theory]
    [InlineData(2, double.NaN, true)]
    [InlineData(10, double.NaN, true)]
    [InlineData(11, double.NaN, false)]                    // later NaN comes from the training itself
    [InlineData(2, double.PositiveInfinity, false)]        // an overflow points at the settings
    public void ThrowIfDiverged_NaNInTheFirstSteps_AlsoNamesTheCpuKernelCap(long step, double value, bool named)
    {
        var error = Assert.Throws<TrainingDivergedException>(() => TrainingDivergedException.ThrowIfDiverged(step,
            new Dictionary<string, double> { ["critic"] = value }));

        Assert.Equal(named, error.Message.Contains("set ONEDNN_MAX_CPU_ISA=SSE41 and retry.", StringComparison.Ordinal));
        Assert.StartsWith($"Training diverged at step {step}: loss 'critic' is ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Intensities near float.MaxValue: finite (so the dataset checks pass) but overflowing in the first convolution.</summary>
    private static ImageDataset Overflowing()
    {
        var pixels = new float[Tiny.Size * Tiny.Size];
        return new ImageDataset("hot", Enumerable.Range(0, 8).Select(i =>
        {
            Array.Fill(pixels, 1e38f - (i * 1e36f));
            return new LabeledImage($"hot_{i}", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(Tiny.Size, Tiny.Size, 1, pixels)));
        }).ToList());
    }

    private static float[] Scores(IAnomalyDetector detector) => [.. detector.PredictBatch(Tiny.Images(6, seed: 99)).Select(p => p.Score)];

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

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        private readonly Action<TrainingProgress> _report;

        public Recorder(List<long> steps) => _report = p => steps.Add(p.Step);

        public Recorder(List<TrainingProgress> reports) => _report = reports.Add;

        public void Report(TrainingProgress value) => _report(value);
    }
}
