using System.Runtime.CompilerServices;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Cli;

/// <summary>
/// Loads and scores images one batch at a time, as Core's <see cref="FolderScoring"/> does for a folder: the next
/// batch is read only once the caller has taken every result of the current one, so memory is bounded by
/// <see cref="BatchSize"/> images (and their maps) however many images are given. Loading every image first took
/// 1.6 GB for 48 images of 2048².
/// </summary>
internal static class BatchedScoring
{
    /// <summary>Images decoded and scored together by the commands.</summary>
    public const int BatchSize = 16;

    /// <summary>Scores <paramref name="items"/> in order, batch by batch.</summary>
    /// <typeparam name="T">What names an image: a path, a labelled data-set entry.</typeparam>
    /// <param name="items">The images to score.</param>
    /// <param name="load">Decodes one item's image; called only for the batch being scored.</param>
    /// <param name="predict">Scores one batch (a detector's <see cref="IAnomalyDetector.PredictBatch"/>).</param>
    /// <param name="batchSize">Images per batch, at least 1.</param>
    /// <param name="cancellationToken">Checked before each image is loaded.</param>
    /// <returns>Each item with its image and prediction, in the order given.</returns>
    public static async IAsyncEnumerable<Scored<T>> ScoreAsync<T>(
        IEnumerable<T> items,
        Func<T, CancellationToken, Task<ImageData>> load,
        Func<IReadOnlyList<ImageData>, IReadOnlyList<AnomalyPrediction>> predict,
        int batchSize = BatchSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        foreach (var batch in items.Chunk(batchSize))
        {
            var images = new ImageData[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                images[i] = await load(batch[i], cancellationToken);
            }

            var predictions = predict(images);
            for (var i = 0; i < batch.Length; i++)
            {
                yield return new Scored<T>(batch[i], images[i], predictions[i]);
            }
        }
    }

    /// <summary>One scored image.</summary>
    /// <param name="Item">What was given for it.</param>
    /// <param name="Image">The decoded image, for drawing; dropped with the batch.</param>
    /// <param name="Prediction">The detector's prediction.</param>
    internal sealed record Scored<T>(T Item, ImageData Image, AnomalyPrediction Prediction);
}
