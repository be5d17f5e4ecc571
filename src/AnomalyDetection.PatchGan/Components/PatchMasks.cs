using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>
/// Masks over a grid of patches for masked reconstruction: random masks for training, and complementary masks for
/// testing that together hide every patch exactly once. A mask holds 1 for a hidden patch and 0 for a visible one,
/// with shape (N, 1, rows, columns), as a float32 CPU tensor (the caller moves it to its device);
/// <see cref="PatchGrid.ToPixels"/> turns it into a pixel mask.
/// </summary>
public static class PatchMasks
{
    /// <summary>One random mask per image: each hides a ratio drawn uniformly from
    /// [<paramref name="minRatio"/>, <paramref name="maxRatio"/>] of the patches (rounded, at least one), chosen without
    /// replacement.</summary>
    /// <param name="random">The seeded source; it draws one ratio, then the patches, per image.</param>
    /// <param name="count">The number of masks N.</param>
    /// <param name="rows">Grid rows.</param>
    /// <param name="columns">Grid columns.</param>
    /// <param name="minRatio">The smallest fraction of hidden patches, in (0, 1].</param>
    /// <param name="maxRatio">The largest fraction of hidden patches, in [<paramref name="minRatio"/>, 1].</param>
    /// <returns>Masks of shape (N, 1, rows, columns).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the ratios are outside (0, 1] or inverted.</exception>
    public static Tensor Random(RandomSource random, int count, int rows, int columns, double minRatio, double maxRatio)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (!(minRatio is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minRatio), minRatio, "The smallest masked fraction must be in (0, 1].");
        }

        if (!(maxRatio >= minRatio && maxRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxRatio), maxRatio, $"The largest masked fraction must be in [minRatio = {minRatio}, 1].");
        }

        var patches = rows * columns;
        var masks = new float[count * patches];
        var order = new int[patches];
        for (var i = 0; i < count; i++)
        {
            var ratio = minRatio + ((maxRatio - minRatio) * random.NextDouble());
            var hidden = Math.Clamp((int)Math.Round(ratio * patches, MidpointRounding.AwayFromZero), 1, patches);

            // A partial Fisher–Yates shuffle: the first `hidden` slots end up a uniform sample without replacement.
            for (var p = 0; p < patches; p++)
            {
                order[p] = p;
            }

            for (var p = 0; p < hidden; p++)
            {
                var j = random.NextInt(p, patches);
                (order[p], order[j]) = (order[j], order[p]);
                masks[(i * patches) + order[p]] = 1f;
            }
        }

        return TensorData.FromArray(masks, count, 1, rows, columns);
    }

    /// <summary>
    /// <paramref name="count"/> masks that together hide every patch exactly once. The grid is tiled with an a × b
    /// block (a the largest divisor of the count not above its square root, b = count / a), and mask k hides the patches
    /// at position k of every block: patch (r, c) belongs to mask (r mod a)·b + (c mod b). Four masks therefore form the
    /// four interleaved checkerboards of a 2 × 2 block, and no two patches of one mask touch along an edge when a, b ≥ 2.
    /// </summary>
    /// <param name="rows">Grid rows.</param>
    /// <param name="columns">Grid columns.</param>
    /// <param name="count">The number of masks, at least 2.</param>
    /// <returns>Masks of shape (count, 1, rows, columns).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 2, or its block does not fit the grid (a mask would be empty).</exception>
    public static Tensor Complementary(int rows, int columns, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var (blockRows, blockColumns) = Tile(count);
        if (blockRows > rows || blockColumns > columns)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"{count} complementary masks tile the grid in {blockRows}×{blockColumns} blocks, which do not fit a {rows}×{columns} grid (some masks would be empty).");
        }

        var patches = rows * columns;
        var masks = new float[count * patches];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var k = ((r % blockRows) * blockColumns) + (c % blockColumns);
                masks[(k * patches) + (r * columns) + c] = 1f;
            }
        }

        return TensorData.FromArray(masks, count, 1, rows, columns);
    }

    /// <summary>The block a × b that <see cref="Complementary"/> tiles the grid with for <paramref name="count"/> masks.</summary>
    /// <param name="count">The number of masks, at least 1.</param>
    public static (int Rows, int Columns) Tile(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var rows = 1;
        for (var a = 1; a * a <= count; a++)
        {
            if (count % a == 0)
            {
                rows = a;
            }
        }

        return (rows, count / rows);
    }
}
