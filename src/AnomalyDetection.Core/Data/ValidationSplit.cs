using AnomalyDetection.Randomness;

namespace AnomalyDetection.Data;

/// <summary>A training set and the validation set carved out of it.</summary>
/// <param name="Train">The items kept for training, in their original order.</param>
/// <param name="Validation">The items held out, in their original order.</param>
public sealed record ValidationSplit(ImageDataset Train, ImageDataset Validation)
{
    /// <summary>
    /// Holds out a seeded random <paramref name="fraction"/> of <paramref name="source"/> (rounded to the nearest
    /// whole item) for validation, for example for threshold calibration on normal images.
    /// </summary>
    /// <param name="source">The training data.</param>
    /// <param name="fraction">The share to hold out, in (0, 1); each part must get at least one item.</param>
    /// <param name="seed">The seed; equal seeds and sources give equal splits.</param>
    /// <returns>The two parts, named after the source with <c>"/train"</c> and <c>"/validation"</c> appended.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or leaves a part empty.</exception>
    public static ValidationSplit Carve(IImageDataset source, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in (0, 1).");
        }

        var count = (int)Math.Round(fraction * source.Count, MidpointRounding.AwayFromZero);
        if (count < 1 || count >= source.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Holding out {fraction} of {source.Count} items gives {count}; both parts need at least one item.");
        }

        var order = Enumerable.Range(0, source.Count).ToArray();
        new RandomSource(seed).Shuffle(order.AsSpan());
        var held = new bool[source.Count];
        foreach (var index in order.AsSpan(0, count))
        {
            held[index] = true;
        }

        return new ValidationSplit(
            new ImageDataset($"{source.Name}/train", source.Where((_, i) => !held[i])),
            new ImageDataset($"{source.Name}/validation", source.Where((_, i) => held[i])));
    }
}
