using AnomalyDetection.Components;
using AnomalyDetection.Tensors;

namespace AnomalyDetection.PatchGan;

/// <summary>Fixed (non-learned) patch weights: the top-ranked fraction of each image's patches weighs more.</summary>
internal static class PatchRankingWeights
{
    /// <summary>
    /// Per image, the <see cref="TopFraction.Count"/> patches with the highest values weigh <paramref name="weight"/> and the rest 1;
    /// ties go to the lower patch index.
    /// </summary>
    /// <param name="values">Per-patch values of shape (N, 1, R, K); only read.</param>
    /// <param name="fraction">The fraction κ of patches weighted up.</param>
    /// <param name="weight">The weight of the top patches.</param>
    /// <returns>Constant weights of shape (N, 1, R, K).</returns>
    public static Tensor TopK(Tensor values, double fraction, double weight)
    {
        int n = values.Size(0), patches = values.Count / n, top = TopFraction.Count(fraction, patches);
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
