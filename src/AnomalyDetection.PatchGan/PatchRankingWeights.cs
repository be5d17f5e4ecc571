using AnomalyDetection.Tensors;

namespace AnomalyDetection.PatchGan;

/// <summary>Fixed (non-learned) patch weights and the top-fraction selection that ranking and image scores share.</summary>
internal static class PatchRankingWeights
{
    /// <summary>The number of patches a fraction selects: the fraction of the count, rounded, at least one.</summary>
    public static int TopCount(double fraction, int patches) =>
        Math.Clamp((int)Math.Round(fraction * patches, MidpointRounding.AwayFromZero), 1, patches);

    /// <summary>
    /// Per image, the <see cref="TopCount"/> patches with the highest values weigh <paramref name="weight"/> and the rest 1;
    /// ties go to the lower patch index.
    /// </summary>
    /// <param name="values">Per-patch values of shape (N, 1, R, K); only read.</param>
    /// <param name="fraction">The fraction κ of patches weighted up.</param>
    /// <param name="weight">The weight of the top patches.</param>
    /// <returns>Constant weights of shape (N, 1, R, K).</returns>
    public static Tensor TopK(Tensor values, double fraction, double weight)
    {
        int n = values.Size(0), patches = values.Count / n, top = TopCount(fraction, patches);
        var weights = new float[values.Count];
        weights.AsSpan().Fill(1f);
        var order = new int[patches];
        for (var i = 0; i < n; i++)
        {
            var image = values.Span.Slice(i * patches, patches);
            Rank(image, order);
            for (var j = 0; j < top; j++)
            {
                weights[(i * patches) + order[j]] = (float)weight;
            }
        }

        return Tensor.FromArray(weights, values.ShapeArray());
    }

    /// <summary>Per image, the mean of the <see cref="TopCount"/> highest values.</summary>
    /// <param name="values">Per-patch values of shape (N, 1, R, K).</param>
    /// <param name="fraction">The fraction of patches averaged.</param>
    /// <returns>One value per image.</returns>
    public static float[] TopMean(Tensor values, double fraction)
    {
        int n = values.Size(0), patches = values.Count / n, top = TopCount(fraction, patches);
        var means = new float[n];
        var order = new int[patches];
        for (var i = 0; i < n; i++)
        {
            var image = values.Span.Slice(i * patches, patches);
            Rank(image, order);
            double sum = 0;
            for (var j = 0; j < top; j++)
            {
                sum += image[order[j]];
            }

            means[i] = (float)(sum / top);
        }

        return means;
    }

    /// <summary>Patch indices by value, highest first, ties by index.</summary>
    private static void Rank(ReadOnlySpan<float> values, int[] order)
    {
        for (var p = 0; p < order.Length; p++)
        {
            order[p] = p;
        }

        var copy = values.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byValue = copy[b].CompareTo(copy[a]);
            return byValue != 0 ? byValue : a.CompareTo(b);
        });
    }
}
