using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;

namespace AnomalyDetection.Core.Tests.Detection;

public sealed class TrainingLoopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("training-loop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_ShuffledBatchesForTwoEpochs_VisitEveryImageOncePerEpoch()
    {
        var visits = new List<int[]>();
        var batches = new ShuffledBatches(Context(5), 2);

        var summary = new TrainingLoop(batches.TotalSteps(2, null), batches.StepsPerEpoch).Run(Recording(batches, visits), null, default);

        Assert.Equal(6, summary.Steps); // ceil(5 / 2) = 3 steps an epoch
        Assert.Equal([2, 2, 1, 2, 2, 1], visits.Select(v => v.Length));
        Assert.Equal([0, 1, 2, 3, 4], visits.Take(3).SelectMany(v => v).Order());
        Assert.Equal([0, 1, 2, 3, 4], visits.Skip(3).SelectMany(v => v).Order());
        Assert.NotEqual(visits.Take(3).SelectMany(v => v), visits.Skip(3).SelectMany(v => v)); // reshuffled
    }

    [Fact]
    public void Run_ReportsEveryStepWithItsEpoch_AndKeepsTheLatestValueOfEachLoss()
    {
        var reports = new List<TrainingProgress>();

        var summary = new TrainingLoop(4, stepsPerEpoch: 3).Run(
            step => step % 2 == 0 ? new Dictionary<string, double> { ["a"] = step } : new Dictionary<string, double> { ["b"] = step },
            new SynchronousProgress<TrainingProgress>(reports.Add), default);

        Assert.Equal(4, summary.Steps);
        Assert.Equal([1L, 2, 3, 4], reports.Select(r => r.Step));
        Assert.Equal([1, 1, 1, 2], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(4, r.TotalSteps));
        Assert.Equal((2.0, 3.0), (summary.FinalLosses["a"], summary.FinalLosses["b"]));
        Assert.All(reports, r => Assert.Null(r.ValidationMetric));
        Assert.All(reports, r => Assert.False(r.Validated));
    }

    [Fact]
    public void Run_NaNLoss_StopsWithTheStep()
    {
        var steps = 0;

        var error = Assert.Throws<TrainingDivergedException>(() => new TrainingLoop(10, 1).Run(_ =>
            new Dictionary<string, double> { ["loss"] = ++steps == 3 ? double.NaN : 1 }, null, default));

        Assert.Equal(3, error.Step);
        Assert.Equal(3, steps);
    }

    [Fact]
    public void Run_ResumedFromACheckpoint_ContinuesTheSameBatchSequence()
    {
        var uninterrupted = new List<int[]>();
        var all = new ShuffledBatches(Context(5), 2);
        new TrainingLoop(9, all.StepsPerEpoch).Run(Recording(all, uninterrupted), null, default);

        var first = new List<int[]>();
        using var cancel = new CancellationTokenSource();
        var interrupted = new ShuffledBatches(Context(5), 2);
        Assert.Throws<OperationCanceledException>(() => new TrainingLoop(9, 3) { Checkpoints = Plan(interrupted) }.Run(step =>
        {
            if (first.Count == 4)
            {
                cancel.Cancel();
            }

            return Recording(interrupted, first)(step);
        }, null, cancel.Token));
        var rest = new List<int[]>();
        var resumedBatches = new ShuffledBatches(Context(5), 2);
        var resumed = new TrainingLoop(9, 3) { Checkpoints = Plan(resumedBatches) }.Run(Recording(resumedBatches, rest), null, default);

        Assert.Equal(9, resumed.Steps);
        Assert.Equal(uninterrupted.Take(4), first.Take(4)); // the fifth batch was done after the last checkpoint, then lost
        Assert.Equal(uninterrupted.Skip(4), rest);
    }

    [Fact]
    public void Run_Validation_RunsEveryIntervalAndAfterTheLastStep_AndKeepsTheLastWeights()
    {
        using var module = Scalar();
        var reports = new List<TrainingProgress>();
        var loop = new TrainingLoop(5, 5) { Validation = new ValidationPlan(2, () => Weight(module), module) };

        var summary = loop.Run(Setting(module, 3, 1, 2, 5, 4), new SynchronousProgress<TrainingProgress>(reports.Add), default);

        Assert.Equal([null, 1.0, 1.0, 5.0, 4.0], reports.Select(r => r.ValidationMetric));
        Assert.Equal([false, true, false, true, true], reports.Select(r => r.Validated));
        Assert.Null(summary.SelectedStep);
        Assert.Equal(4, Weight(module));
    }

    [Fact]
    public void Run_SelectBest_EndsWithTheWeightsOfTheBestValidation()
    {
        using var module = Scalar();
        var loop = new TrainingLoop(5, 5) { Validation = new ValidationPlan(1, () => Weight(module), module) { SelectBest = true } };

        var summary = loop.Run(Setting(module, 3, 1, 2, 0.5, 4), null, default);

        Assert.Equal(5, summary.Steps);
        Assert.Equal(4, summary.SelectedStep);
        Assert.Equal(0.5, Weight(module));
    }

    [Fact]
    public void Run_EarlyStopping_StopsAfterThePatienceAndRestoresTheBest()
    {
        // An improvement must exceed 0.5: 2.8 after 3 is none, so the best stays at step 1.
        using var module = Scalar();
        var steps = new List<long>();
        var loop = new TrainingLoop(10, 10)
        {
            Validation = new ValidationPlan(1, () => Weight(module), module) { EarlyStoppingPatience = 2, EarlyStoppingMinDelta = 0.5 },
        };

        var summary = loop.Run(Setting(module, 3, 2.8, 4, 1, 1, 1, 1, 1, 1, 1), new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)), default);

        Assert.Equal([1L, 2, 3], steps);
        Assert.Equal((3L, 1L), (summary.Steps, summary.SelectedStep!.Value));
        Assert.Equal(3, Weight(module));
    }

    [Fact]
    public void Run_WithAnAverage_ValidatesAndKeepsTheAveragedWeights()
    {
        using var module = Scalar();
        using var average = new ExponentialWeightAverage(module, 0.5);
        var metrics = new List<double?>();
        var loop = new TrainingLoop(2, 2) { Validation = new ValidationPlan(1, () => Weight(module), module) { Average = average } };

        loop.Run(step => { Set(module, 4 * (step + 1)); average.Update(); return Losses; }, new SynchronousProgress<TrainingProgress>(p => metrics.Add(p.ValidationMetric)), default);

        // Decays min(0.5, (1 + n) / (10 + n)) = 0.1818… then 0.25 from the initial 0: 3.2727…, then 0.25 · 3.2727… + 0.75 · 8.
        var first = 4 * (1 - (2.0 / 11));
        var second = (0.25 * first) + (0.75 * 8);
        Assert.Equal(first, metrics[0]!.Value, 5);
        Assert.Equal(second, metrics[1]!.Value, 5);
        Assert.Equal(second, Weight(module), 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_InterruptedThenResumed_MatchesAnUninterruptedRun(bool average)
    {
        var (expectedWeight, expectedSummary, expectedMetrics) = Validated(average, checkpoint: null, cancelAfter: null);
        var path = Path.Combine(_folder, "validated.safetensors");

        Assert.Throws<OperationCanceledException>(() => Validated(average, path, cancelAfter: 5));
        var (weight, summary, metrics) = Validated(average, path, cancelAfter: null);

        Assert.Equal(expectedWeight, weight);
        Assert.Equal((expectedSummary.Steps, expectedSummary.SelectedStep), (summary.Steps, summary.SelectedStep));
        Assert.Equal(expectedMetrics.Skip(4), metrics);
    }

    [Fact]
    public void Constructor_NonPositiveSteps_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingLoop(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledBatches(Context(1), 0));
    }

    private static readonly Dictionary<string, double> Losses = new() { ["loss"] = 1 };

    /// <summary>A run of 8 steps validated every step and selecting the best, optionally averaged, checkpointed every
    /// 2 steps; the module's weight and its optimiser-like state (a running sum) both go into the checkpoint.</summary>
    private static (double Weight, AnomalyDetection.ModelFiles.TrainingSummary Summary, List<double?> Metrics) Validated(bool averaged, string? checkpoint, int? cancelAfter)
    {
        double[] targets = [5, 3, 4, 2, 6, 1.5, 7, 3];
        using var module = Scalar();
        using var average = averaged ? new ExponentialWeightAverage(module, 0.6) : null;
        using var cancel = new CancellationTokenSource();
        var metrics = new List<double?>();
        var loop = new TrainingLoop(targets.Length, 4)
        {
            Validation = new ValidationPlan(1, () => Math.Abs(Weight(module) - 2), module) { SelectBest = true, Average = average },
            Checkpoints = checkpoint is null ? null : new CheckpointPlan(checkpoint, 2, "test-1", "scalar",
                c => c.AddTensors("module.", StateDicts.Export(module)),
                c => StateDicts.LoadStrict(module, c.Tensors("module."), "module")),
        };
        var summary = loop.Run(step =>
        {
            // Half way to the target, so that the step depends on the weights a resume restored.
            Set(module, (Weight(module) + targets[step]) / 2);
            average?.Update();
            if (step + 1 == cancelAfter)
            {
                cancel.Cancel();
            }

            return Losses;
        }, new SynchronousProgress<TrainingProgress>(p => metrics.Add(p.ValidationMetric)), cancel.Token);
        return (Weight(module), summary, metrics);
    }

    private static Linear Scalar()
    {
        var module = torch.nn.Linear(1, 1, hasBias: false);
        Set(module, 0);
        return module;
    }

    private static void Set(Linear module, double value)
    {
        using var noGrad = torch.no_grad();
        module.weight!.fill_(value);
    }

    private static double Weight(Linear module) => module.weight!.item<float>();

    /// <summary>A step that sets the module's weight to the step's value.</summary>
    private static Func<long, IReadOnlyDictionary<string, double>> Setting(Linear module, params double[] values) => step =>
    {
        Set(module, values[step]);
        return Losses;
    };

    private CheckpointPlan Plan(ShuffledBatches batches) =>
        new(Path.Combine(_folder, "loop.safetensors"), 2, "test-1", "five images", batches.Save, batches.Restore);

    /// <summary>Images whose single pixel value is their index, so a batch says which images it holds.</summary>
    private static TrainingContext Context(int count)
    {
        var items = Enumerable.Range(0, count).Select(i =>
            new LabeledImage($"image{i}", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(1, 1, 1, [i / 10f]))));
        var set = TrainingImageSet.Load(new ImageDataset("indexed", items), PreprocessingPipeline.Empty);
        return new TrainingContext(set, null, set, new RandomSource(7), torch.CPU, NullLogger.Instance);
    }

    private static Func<long, IReadOnlyDictionary<string, double>> Recording(ShuffledBatches batches, List<int[]> visits) => step =>
    {
        visits.Add([.. TensorData.ToArray(batches.Next(step)).Select(v => (int)MathF.Round(v * 10))]);
        return Losses;
    };
}
