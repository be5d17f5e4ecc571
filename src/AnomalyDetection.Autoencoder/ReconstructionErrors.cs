using AnomalyDetection.Tensors;

namespace AnomalyDetection.Autoencoder;

/// <summary>The reconstruction error that training minimises and scoring reads, so the two cannot drift apart.</summary>
internal static class ReconstructionErrors
{
    /// <summary>The error of every element: (x − x̂)² for <see cref="ReconstructionLoss.L2"/>, |x − x̂| for <see cref="ReconstructionLoss.L1"/>.</summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    /// <param name="reconstructions">Their reconstructions, same shape.</param>
    /// <param name="loss">Which error.</param>
    public static Tensor Elementwise(Tensor images, Tensor reconstructions, ReconstructionLoss loss)
    {
        var difference = images - reconstructions;
        return loss == ReconstructionLoss.L1 ? difference.Abs() : difference.Square();
    }

    /// <summary>Per image, the mean of the highest <paramref name="fraction"/> of its map pixels (rounded, at least one).</summary>
    /// <param name="maps">Maps of shape (N, 1, H, W).</param>
    /// <param name="fraction">The fraction of pixels averaged, in (0, 1].</param>
    /// <returns>One value per image.</returns>
    public static float[] TopMean(Tensor maps, double fraction)
    {
        int n = maps.Size(0), pixels = maps.Count / n;
        var top = Math.Clamp((int)Math.Round(fraction * pixels, MidpointRounding.AwayFromZero), 1, pixels);
        var means = new float[n];
        var sorted = new float[pixels];
        for (var i = 0; i < n; i++)
        {
            maps.Span.Slice(i * pixels, pixels).CopyTo(sorted);
            Array.Sort(sorted);
            double sum = 0;
            for (var j = pixels - top; j < pixels; j++)
            {
                sum += sorted[j];
            }

            means[i] = (float)(sum / top);
        }

        return means;
    }
}
