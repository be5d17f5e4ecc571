using AnomalyDetection.Tensors;

namespace AnomalyDetection.Components;

/// <summary>
/// The top-fraction reduction that turns a map (of pixels or patches) into an image score: the mean of each image's
/// highest values, so that a small abnormal region is not averaged away by a large normal one.
/// </summary>
public static class TopFraction
{
    /// <summary>The number of values a fraction selects: the fraction of the count, rounded half away from zero, at
    /// least one.</summary>
    /// <param name="fraction">The fraction, in (0, 1].</param>
    /// <param name="count">The number of values per image; positive.</param>
    public static int Count(double fraction, int count) =>
        Math.Clamp((int)Math.Round(fraction * count, MidpointRounding.AwayFromZero), 1, count);

    /// <summary>Per image, the mean of its <see cref="Count"/> highest values.</summary>
    /// <param name="values">Per-image maps with the batch first, such as (N, 1, H, W); only read.</param>
    /// <param name="fraction">The fraction of each image's values averaged, in (0, 1].</param>
    /// <returns>One value per image.</returns>
    /// <exception cref="ArgumentException">The tensor has no batch dimension or an empty image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1].</exception>
    public static float[] Mean(Tensor values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Rank < 1 || values.Size(0) == 0 || values.Count == 0)
        {
            throw new ArgumentException($"Top-fraction scores need a non-empty batch of maps, but got shape [{string.Join(", ", values.ShapeArray())}].", nameof(values));
        }

        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction must be in (0, 1].");
        }

        int n = values.Size(0), perImage = values.Count / n, top = Count(fraction, perImage);
        var means = new float[n];
        var sorted = new float[perImage];
        for (var i = 0; i < n; i++)
        {
            values.Span.Slice(i * perImage, perImage).CopyTo(sorted);
            Array.Sort(sorted);
            double sum = 0;
            for (var j = perImage - top; j < perImage; j++)
            {
                sum += sorted[j];
            }

            means[i] = (float)(sum / top);
        }

        return means;
    }
}
