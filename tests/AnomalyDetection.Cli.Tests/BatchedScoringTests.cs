using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Cli.Tests;

/// <summary><c>predict</c> and <c>evaluate</c> read and score images a batch at a time: a batch is decoded only once
/// the previous one's results are taken, so memory is bounded by the batch, not by the number of images.</summary>
public sealed class BatchedScoringTests
{
    [Fact]
    public async Task ScoreAsync_FortyImages_LoadsEachBatchOnlyWhenItsFirstResultIsAsked()
    {
        var loads = 0;
        var batches = new List<int>();
        var index = 0;

        await foreach (var (item, image, prediction) in BatchedScoring.ScoreAsync(
            Enumerable.Range(0, 40), (n, _) => Load(n, ref loads), images => Predict(images, batches), batchSize: 16))
        {
            // Result k has been preceded by the loads of its own batch and of the batches before, never more.
            Assert.Equal(Math.Min(40, ((index / 16) + 1) * 16), loads);
            Assert.Equal(item, index);
            Assert.Equal(item + 1, image.Width);
            Assert.Equal(item, prediction.Score);
            index++;
        }

        Assert.Equal(40, index);
        Assert.Equal([16, 16, 8], batches);
    }

    [Fact]
    public async Task ScoreAsync_ImageFailsToLoad_LaterBatchesAreNeverRead()
    {
        var loads = 0;
        var results = 0;

        var error = await Assert.ThrowsAsync<InvalidImageException>(async () =>
        {
            await foreach (var _ in BatchedScoring.ScoreAsync(
                Enumerable.Range(0, 100), (n, _) => n == 20 ? throw new InvalidImageException("image 20 is broken") : Load(n, ref loads),
                images => Predict(images, []), batchSize: 16))
            {
                results++;
            }
        });

        Assert.Contains("image 20 is broken", error.Message, StringComparison.Ordinal);
        Assert.Equal(16, results);
        Assert.Equal(16 + 4, loads);
    }

    /// <summary>An image one pixel wider than the item, so a result can be traced back to its input.</summary>
    private static Task<ImageData> Load(int item, ref int loads)
    {
        loads++;
        return Task.FromResult(ImageData.FromPlanar(item + 1, 1, 1, new float[item + 1]));
    }

    private static List<AnomalyPrediction> Predict(IReadOnlyList<ImageData> images, List<int> batches)
    {
        batches.Add(images.Count);
        return [.. images.Select(image => new AnomalyPrediction(image.Width - 1, 0, false, 0, null, null, null, null))];
    }
}
