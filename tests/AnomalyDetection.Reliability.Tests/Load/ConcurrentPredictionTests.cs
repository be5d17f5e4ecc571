using AnomalyDetection.Detection;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Load;

/// <summary>Thousands of predictions from many threads on one detector equal the sequential ones bit for bit, and
/// managed memory does not grow with the number of predictions.</summary>
[Collection(ManagedMemoryCollection.Name)]
public class ConcurrentPredictionTests(ITestOutputHelper output)
{
    public const int Threads = 16;
    public const int Predictions = 2048;
    public const int DistinctImages = 64;

    // Well above the few allocations in flight per thread, far below what keeping every prediction's map would need.
    private const long MemoryGrowthBound = 16L << 20;

    [Fact]
    public void Predict_ThousandsFromSixteenThreads_MatchSequentialWithStableMemory()
    {
        var detector = Tiny.FittedDetector;
        var images = Tiny.Images(DistinctImages, seed: 77);
        var sequential = images.Select(detector.Predict).ToArray();
        var mismatches = 0;

        void Hammer(int count) => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            var index = (int)((i * 2654435761L) % DistinctImages);
            if (!Same(sequential[index], detector.Predict(images[index])))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Hammer(Threads * 4);
        var warm = GC.GetTotalMemory(forceFullCollection: true);
        Hammer(Predictions);
        var end = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"{Predictions} predictions on {Threads} threads; managed memory after warm-up {warm / 1024} KiB, at the end {end / 1024} KiB");
        Assert.Equal(0, mismatches);
        Assert.True(end - warm < MemoryGrowthBound, $"managed memory grew by {(end - warm) / 1024} KiB over {Predictions} predictions");
    }

    [Fact]
    public void PredictBatch_DifferentBatchesFromManyThreads_MatchTheSameBatchesRunSequentially()
    {
        // Batches are compared with the same batch run alone: a score may differ in its last bits between batch
        // compositions (kernels sum in a batch-dependent order), but never between runs or threads.
        var detector = Tiny.FittedDetector;
        var images = Tiny.Images(24, seed: 78);
        var batches = Enumerable.Range(0, 4).Select(r => images.Skip(r).Concat(images.Take(r)).ToList()).ToArray();
        var sequential = batches.Select(b => detector.PredictBatch(b)).ToArray();
        var results = new IReadOnlyList<AnomalyPrediction>[Threads];

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = detector.PredictBatch(batches[t % 4]));

        for (var t = 0; t < Threads; t++)
        {
            Assert.All(sequential[t % 4].Zip(results[t]), pair => Assert.True(Same(pair.First, pair.Second)));
        }
    }

    private static bool Same(AnomalyPrediction a, AnomalyPrediction b) =>
        a.Score.Equals(b.Score) && a.IsAnomalous == b.IsAnomalous && (a.Map?.ToArray() ?? []).AsSpan().SequenceEqual(b.Map?.ToArray() ?? []);
}
