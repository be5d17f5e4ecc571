using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;

namespace AnomalyDetection.Detection;

/// <summary>
/// Image and pixel metrics of a fitted detector over a labelled test set, predicted batch by batch so that the set
/// never needs to be in memory at once.
/// </summary>
/// <param name="batchSize">Images per prediction batch.</param>
/// <param name="predictBatch">The detector's batch prediction.</param>
/// <param name="input">Brings masks to the maps' geometry.</param>
internal sealed class DetectorEvaluation(
    int batchSize,
    Func<IReadOnlyList<ImageData>, CancellationToken, IReadOnlyList<AnomalyPrediction>> predictBatch,
    InputPreparation input)
{
    /// <summary>Predicts every image of <paramref name="testSet"/> and computes the metrics.</summary>
    /// <param name="testSet">Images labelled normal or anomalous, with masks where known.</param>
    /// <param name="progress">Receives the number of images done after each batch.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>Image metrics, and pixel metrics when some anomalous image has a mask and the detector gives maps.</returns>
    /// <exception cref="InvalidDatasetException">An image is neither normal nor anomalous, or a mask does not fit.</exception>
    public EvaluationReport Run(IImageDataset testSet, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var scores = new List<float>(testSet.Count);
        var labels = new List<bool>(testSet.Count);
        var pixels = new PixelMapAccumulator(input, testSet.Name, masksOfNormalImages: true);
        var batch = new List<ImageData>(batchSize);
        var items = new List<LabeledImage>(batchSize);

        void Flush()
        {
            var predictions = predictBatch(batch, cancellationToken);
            for (var i = 0; i < predictions.Count; i++)
            {
                scores.Add(predictions[i].Score);
                labels.Add(items[i].Label == AnomalyLabel.Abnormal);
                if (predictions[i].Map is { } map)
                {
                    pixels.Add(map.Values, map.Width, map.Height, items[i], batch[i]);
                }
            }

            progress?.Report(scores.Count);
            batch.Clear();
            items.Clear();
        }

        foreach (var item in testSet)
        {
            if (item.Label is not (AnomalyLabel.Normal or AnomalyLabel.Abnormal))
            {
                throw new InvalidDatasetException(testSet.Name, $"image '{item.Name}' is labelled {item.Label}; evaluation needs normal or anomalous labels.");
            }

            items.Add(item);
            batch.Add(item.LoadImage());
            if (batch.Count == batchSize)
            {
                Flush();
            }
        }

        if (batch.Count > 0)
        {
            Flush();
        }

        var image = ImageLevelMetrics.Compute(scores.ToArray(), labels.ToArray());
        var pixel = pixels.AnomaliesWithMasks > 0 ? pixels.Pixels.ComputeMetrics() : null;
        return new EvaluationReport(image, pixel);
    }
}
