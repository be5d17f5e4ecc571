using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnomalyDetection.Core.Tests.Detection;

public sealed class BatchTrainingLoopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("batch-loop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_TwoEpochs_VisitsEveryImageOncePerEpochInBatches()
    {
        var visits = new List<int[]>();

        var summary = new BatchTrainingLoop(batchSize: 2, epochs: 2, maxSteps: null).Run(Context(5), Recording(visits), null, default);

        Assert.Equal(6, summary.Steps); // ceil(5 / 2) = 3 steps an epoch
        Assert.Equal([2, 2, 1, 2, 2, 1], visits.Select(v => v.Length));
        Assert.Equal([0, 1, 2, 3, 4], visits.Take(3).SelectMany(v => v).Order());
        Assert.Equal([0, 1, 2, 3, 4], visits.Skip(3).SelectMany(v => v).Order());
        Assert.NotEqual(visits.Take(3).SelectMany(v => v), visits.Skip(3).SelectMany(v => v)); // reshuffled
    }

    [Fact]
    public void Run_MaxSteps_OverridesEpochsAndReportsEveryStep()
    {
        var reports = new List<TrainingProgress>();

        var summary = new BatchTrainingLoop(2, epochs: 100, maxSteps: 4).Run(Context(5), Recording([]), new SynchronousProgress<TrainingProgress>(reports.Add), default);

        Assert.Equal(4, summary.Steps);
        Assert.Equal([1L, 2, 3, 4], reports.Select(r => r.Step));
        Assert.Equal([1, 1, 1, 2], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(4, r.TotalSteps));
    }

    [Fact]
    public void Run_NaNLoss_StopsWithTheStep()
    {
        var steps = 0;

        var error = Assert.Throws<TrainingDivergedException>(() => new BatchTrainingLoop(2, 10, null).Run(Context(5), (_, _) =>
            new Dictionary<string, double> { ["loss"] = ++steps == 3 ? double.NaN : 1 }, null, default));

        Assert.Equal(3, error.Step);
        Assert.Equal(3, steps);
    }

    [Fact]
    public void Run_ResumedFromACheckpoint_ContinuesTheSameBatchSequence()
    {
        var uninterrupted = new List<int[]>();
        new BatchTrainingLoop(2, 3, null).Run(Context(5), Recording(uninterrupted), null, default);

        var first = new List<int[]>();
        var plan = new CheckpointPlan(Path.Combine(_folder, "loop.safetensors"), 2, "test-1", "five images", _ => { }, _ => { });
        using var cancel = new CancellationTokenSource();
        var cancelled = new BatchTrainingLoop(2, 3, null) { Checkpoints = plan };
        Assert.Throws<OperationCanceledException>(() => cancelled.Run(Context(5), (images, random) =>
        {
            if (first.Count == 4)
            {
                cancel.Cancel();
            }

            return Recording(first)(images, random);
        }, null, cancel.Token));
        var rest = new List<int[]>();
        var resumed = new BatchTrainingLoop(2, 3, null) { Checkpoints = plan }.Run(Context(5), Recording(rest), null, default);

        Assert.Equal(9, resumed.Steps);
        Assert.Equal(uninterrupted.Take(4), first.Take(4)); // the fifth batch was done after the last checkpoint, then lost
        Assert.Equal(uninterrupted.Skip(4), rest);
    }

    [Fact]
    public void Constructor_NonPositiveBatch_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchTrainingLoop(0, 1, null));
    }

    /// <summary>Images whose single pixel value is their index, so a batch says which images it holds.</summary>
    private static TrainingContext Context(int count)
    {
        var items = Enumerable.Range(0, count).Select(i =>
            new LabeledImage($"image{i}", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(1, 1, 1, [i / 10f]))));
        var set = TrainingImageSet.Load(new ImageDataset("indexed", items), PreprocessingPipeline.Empty);
        return new TrainingContext(set, null, set, new RandomSource(7), torch.CPU, NullLogger.Instance);
    }

    private static Func<Tensor, RandomSource, IReadOnlyDictionary<string, double>> Recording(List<int[]> visits) => (images, _) =>
    {
        visits.Add([.. TensorData.ToArray(images).Select(v => (int)MathF.Round(v * 10))]);
        return new Dictionary<string, double> { ["loss"] = 1 };
    };
}
