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
        var held = HeldOut(source.Count, fraction, seed);
        return new ValidationSplit(
            new ImageDataset($"{source.Name}/train", source.Where((_, i) => !held[i])),
            new ImageDataset($"{source.Name}/validation", source.Where((_, i) => held[i])));
    }

    /// <summary>Which of <paramref name="count"/> items a seeded random <paramref name="fraction"/> holds out (rounded
    /// to the nearest whole item): the draw every split of this library makes, so equal seeds hold out equal positions.</summary>
    /// <param name="count">The number of items.</param>
    /// <param name="fraction">The share to hold out, in (0, 1); each part must get at least one item.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>For each item, whether it is held out.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or leaves a part empty.</exception>
    internal static bool[] HeldOut(int count, double fraction, long seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in (0, 1).");
        }

        var heldCount = HeldCount(count, fraction);
        if (heldCount < 1 || heldCount >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Holding out {fraction} of {count} items gives {heldCount}; both parts need at least one item.");
        }

        var order = Enumerable.Range(0, count).ToArray();
        new RandomSource(seed).Shuffle(order.AsSpan());
        var held = new bool[count];
        foreach (var index in order.AsSpan(0, heldCount))
        {
            held[index] = true;
        }

        return held;
    }

    /// <summary>How many of <paramref name="count"/> items <paramref name="fraction"/> holds out: the nearest whole number, halves up.</summary>
    /// <param name="count">The number of items.</param>
    /// <param name="fraction">The share held out.</param>
    public static int HeldCount(int count, double fraction) => (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero);
}
