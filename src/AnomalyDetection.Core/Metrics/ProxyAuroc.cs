using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Metrics;

/// <summary>
/// A label-free estimate of how well a fitted detector separates anomalies: the image AUROC of held-out normal images
/// against synthetic anomalies made from them (<see cref="SyntheticAnomalies"/>, blobs and pasted patches in turn).
/// It needs no anomalous images, so it may choose settings and checkpoints where test labels must not.
/// </summary>
public static class ProxyAuroc
{
    private const int BatchSize = 16;

    /// <summary>Scores the held-out normal images and one synthetic anomaly made from each.</summary>
    /// <param name="detector">A fitted detector.</param>
    /// <param name="heldOutNormal">Normal images the detector did not train on, at least 2, all of one size.</param>
    /// <param name="seed">Seeds the synthetic anomalies; equal seeds give equal anomalies.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The AUROC; a non-finite score counts as the most anomalous.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 images.</exception>
    public static double Compute(IAnomalyDetector detector, IReadOnlyList<ImageData> heldOutNormal, long seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(heldOutNormal);
        if (heldOutNormal.Count < 2)
        {
            throw new ArgumentException($"The proxy AUROC needs at least 2 held-out normal images; got {heldOutNormal.Count}.", nameof(heldOutNormal));
        }

        var random = new RandomSource(seed);
        var synthetic = heldOutNormal
            .Select((image, i) => i % 2 == 0
                ? SyntheticAnomalies.AddBlob(image, random)
                : SyntheticAnomalies.PastePatch(image, heldOutNormal[(i + 1) % heldOutNormal.Count], random))
            .ToList();
        return BinaryScoreMetrics.SeparationAuroc([.. Score(detector, heldOutNormal, cancellationToken)], [.. Score(detector, synthetic, cancellationToken)]);
    }

    private static IEnumerable<float> Score(IAnomalyDetector detector, IReadOnlyList<ImageData> images, CancellationToken cancellationToken)
    {
        foreach (var chunk in images.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var prediction in detector.PredictBatch(chunk, cancellationToken))
            {
                yield return prediction.Score;
            }
        }
    }
}
