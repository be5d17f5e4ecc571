using AnomalyDetection.Engine;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Components;

/// <summary>
/// An image score from the top of its values: the mean of the largest fraction of an anomaly map or of patch scores.
/// A lesion covers a small part of an image, so its strongest responses say more than the mean of all pixels.
/// </summary>
public static class TopFraction
{
    /// <summary>How many of <paramref name="count"/> values the top <paramref name="fraction"/> takes: rounded, at least one.</summary>
    /// <param name="fraction">The share in (0, 1].</param>
    /// <param name="count">The number of values.</param>
    public static int Count(double fraction, int count) =>
        Math.Clamp((int)Math.Round(fraction * count, MidpointRounding.AwayFromZero), 1, count);

    /// <summary>The mean of the largest <paramref name="fraction"/> of one map's values.</summary>
    /// <param name="values">A map, row by row; not empty.</param>
    /// <param name="fraction">The share in (0, 1].</param>
    /// <returns>The mean, accumulated in double precision; NaN when a value is NaN.</returns>
    /// <exception cref="ArgumentException">The map is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside (0, 1].</exception>
    public static float Mean(ReadOnlySpan<float> values, double fraction)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Top-fraction scores need a non-empty map.", nameof(values));
        }

        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1].");
        }

        // As in the tensor overload, a NaN ranks above every number, so a broken map scores NaN and is never called normal.
        foreach (var value in values)
        {
            if (float.IsNaN(value))
            {
                return float.NaN;
            }
        }

        var sorted = values.ToArray();
        Array.Sort(sorted, static (a, b) => b.CompareTo(a));
        var top = Count(fraction, sorted.Length);
        var sum = 0.0;
        for (var i = 0; i < top; i++)
        {
            sum += sorted[i];
        }

        return (float)(sum / top);
    }

    /// <summary>Per batch item, the mean of its largest <paramref name="fraction"/> of values.</summary>
    /// <param name="values">A batch (N, ...) of maps or scores, on any device.</param>
    /// <param name="fraction">The share in (0, 1].</param>
    /// <returns>One mean per batch item.</returns>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside (0, 1].</exception>
    public static float[] Mean(Tensor values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.dim() < 1 || values.shape[0] == 0 || values.numel() == 0)
        {
            throw new ArgumentException($"Top-fraction scores need a non-empty batch of maps, but got shape {ComponentInputGuard.Format(values.shape)}.", nameof(values));
        }

        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1].");
        }

        var n = (int)values.shape[0];
        var perImage = (int)(values.numel() / n);
        var top = Count(fraction, perImage);
        using var largest = values.detach().reshape(n, perImage).topk(top, dim: 1).values;
        using var means = largest.to_type(TorchSharp.torch.ScalarType.Float64).mean([1L]);
        return TensorData.ToArray(means);
    }
}
