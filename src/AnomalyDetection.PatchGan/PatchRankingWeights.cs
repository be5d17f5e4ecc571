using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.PatchGan.Components;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>Fixed (non-learned) patch weights: the top-ranked fraction of each image's patches weighs more.</summary>
internal static class PatchRankingWeights
{
    /// <summary>
    /// Per image, the <see cref="TopFraction.Count"/> patches with the highest values weigh <paramref name="weight"/> and the rest 1;
    /// ties go to the lower patch index.
    /// </summary>
    /// <param name="values">Per-patch values of shape (N, 1, R, K), on any device; only read.</param>
    /// <param name="fraction">The fraction κ of patches weighted up.</param>
    /// <param name="weight">The weight of the top patches.</param>
    /// <returns>Constant weights of shape (N, 1, R, K), on the values' device.</returns>
    public static Tensor TopK(Tensor values, double fraction, double weight)
    {
        ArgumentNullException.ThrowIfNull(values);
        long n = values.shape[0], patches = values.numel() / n;
        var top = TopFraction.Count(fraction, checked((int)patches));
        using var scope = torch.NewDisposeScope();

        // A stable descending sort keeps equal values in patch order, so ties go to the lower index.
        var order = values.detach().reshape(n, patches).sort(1, descending: true, stable: true).Indices;
        var weights = torch.ones(n, patches, values.dtype, values.device)
            .scatter_(1, order.narrow(1, 0, top), HeldScalars.With(weight, value => torch.full(n, top, value, values.dtype, values.device)));
        return weights.reshape(values.shape).MoveToOuterDisposeScope();
    }
}
