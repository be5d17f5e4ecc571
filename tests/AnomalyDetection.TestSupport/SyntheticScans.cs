using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.TestSupport;

/// <summary>
/// Tiny synthetic "scans" in [0, 1] for the test projects, in three families:
/// <list type="bullet">
/// <item><description><b>Wave</b> scans (<see cref="Wave"/>, <see cref="Normal"/>, <see cref="Test"/>): a smooth
/// diagonal wave of random phase over a dim background with faint Gaussian noise; anomalous ones add a
/// <see cref="LesionSize"/>-pixel square lesion at a random place, with its mask: either bright, or (harder, since its
/// intensities are normal ones) a patch of the wave in opposite phase.</description></item>
/// <item><description><b>Gradient</b> scans (<see cref="Gradient(RandomSource, int, bool, int, int, bool)"/>,
/// <see cref="GradientDataset"/>): a smooth vertical gradient of random tilt with uniform noise; abnormal ones carry a
/// bright square of a quarter of the side at a random place.</description></item>
/// <item><description>Scans with a <b>fixed lesion</b> (<see cref="Ramp"/>, <see cref="Disc"/>,
/// <see cref="FixedLesionMask"/>), drawn from <see cref="Random"/> for the tests that write image folders: the lesion
/// always covers columns 10–17 and rows 12–19.</description></item>
/// </list>
/// Every image is a pure function of the random source's state, so a seed always gives the same data.
/// </summary>
public static class SyntheticScans
{
    /// <summary>The side of the wave scans.</summary>
    public const int Size = 32;

    /// <summary>The side of a wave scan's square lesion.</summary>
    public const int LesionSize = 6;

    /// <summary><paramref name="count"/> normal wave scans named <c>{name}-{i}</c>; scan i draws from seed
    /// <c>seed·1000 + i</c>.</summary>
    /// <param name="name">The data set's name and the images' name prefix.</param>
    /// <param name="count">How many scans.</param>
    /// <param name="seed">Picks the scans.</param>
    /// <param name="channels">Channels per scan; channel c is 0.05·c brighter.</param>
    public static ImageDataset Normal(string name, int count, int seed, int channels = 1) =>
        new(name, Enumerable.Range(0, count).Select(i =>
        {
            var random = new RandomSource((seed * 1000) + i);
            return new LabeledImage($"{name}-{i}", AnomalyLabel.Normal, ImageSource.FromImage(Wave(random, channels, lesion: null)));
        }));

    /// <summary>Normal and anomalous wave scans (<c>normal-{i}</c>, then <c>lesion-{i}</c>); anomalous ones carry their
    /// lesion mask, normal ones none.</summary>
    /// <param name="normal">How many normal scans; scan i draws from seed <c>seed·1000 + i</c>.</param>
    /// <param name="anomalous">How many anomalous scans; scan i draws from seed <c>seed·1000 + 500 + i</c>.</param>
    /// <param name="seed">Picks the scans.</param>
    /// <param name="channels">Channels per scan.</param>
    /// <param name="inverted">Lesions are the wave in opposite phase instead of bright squares.</param>
    /// <param name="drawNoiseUnderLesion">See <see cref="Wave"/>.</param>
    public static ImageDataset Test(int normal, int anomalous, int seed, int channels = 1, bool inverted = false, bool drawNoiseUnderLesion = false)
    {
        var items = new List<LabeledImage>();
        for (var i = 0; i < normal; i++)
        {
            var random = new RandomSource((seed * 1000) + i);
            items.Add(new LabeledImage($"normal-{i}", AnomalyLabel.Normal, ImageSource.FromImage(Wave(random, channels, lesion: null))));
        }

        for (var i = 0; i < anomalous; i++)
        {
            var random = new RandomSource((seed * 1000) + 500 + i);
            var lesion = Lesion(random);
            items.Add(new LabeledImage($"lesion-{i}", AnomalyLabel.Abnormal, ImageSource.FromImage(Wave(random, channels, lesion, inverted, drawNoiseUnderLesion)),
                ImageSource.FromImage(SquareMask(Size, lesion.Y, lesion.X, LesionSize))));
        }

        return new ImageDataset("synthetic-test", items);
    }

    /// <summary>A random lesion corner (row, column) that keeps a wave scan's lesion 2 pixels inside the image.</summary>
    /// <param name="random">Draws the row, then the column.</param>
    public static (int Y, int X) Lesion(RandomSource random) =>
        (random.NextInt(2, Size - LesionSize - 2), random.NextInt(2, Size - LesionSize - 2));

    /// <summary>One <see cref="Size"/>-pixel wave scan: 0.35 + 0.05·c + 0.15·sin(0.3·(x + y) + phase) + 0.02·noise,
    /// clamped to [0, 1].</summary>
    /// <param name="random">Draws the phase, then one normal value per pixel (channel-major, row-major).</param>
    /// <param name="channels">Channels.</param>
    /// <param name="lesion">The lesion's corner, or <see langword="null"/> for a normal scan.</param>
    /// <param name="inverted">The lesion is the wave in opposite phase (with its noise) instead of 0.95.</param>
    /// <param name="drawNoiseUnderLesion">A bright lesion's pixels still draw (and discard) their noise value, so the
    /// random stream stays aligned with the normal scan's; the Patch-GAN tests' data was made this way.</param>
    public static ImageData Wave(RandomSource random, int channels, (int Y, int X)? lesion, bool inverted = false, bool drawNoiseUnderLesion = false)
    {
        var phase = random.NextDouble() * 2 * Math.PI;
        var pixels = new float[channels * Size * Size];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var inside = lesion is { } at && y >= at.Y && y < at.Y + LesionSize && x >= at.X && x < at.X + LesionSize;
                    double value;
                    if (inside && !inverted)
                    {
                        if (drawNoiseUnderLesion)
                        {
                            random.NextNormal();
                        }

                        value = 0.95;
                    }
                    else
                    {
                        var wave = 0.15 * Math.Sin(((x + y) * 0.3) + phase) * (inside ? -1 : 1);
                        value = 0.35 + (0.05 * c) + wave + (0.02 * random.NextNormal());
                    }

                    pixels[(c * Size * Size) + (y * Size) + x] = (float)Math.Clamp(value, 0, 1);
                }
            }
        }

        return ImageData.FromPlanar(Size, Size, channels, pixels);
    }

    /// <summary>A gradient scan: 0.3 + tilt·y/size + 0.05·noise, tilt in [0.3, 0.4); an abnormal one carries a 0.95
    /// square of side size/4.</summary>
    /// <param name="random">Draws the tilt, the square's column and row (even for a normal scan), then one uniform value
    /// per pixel (channel-major, row-major).</param>
    /// <param name="size">The side in pixels.</param>
    /// <param name="abnormal">Whether to draw the square.</param>
    /// <param name="channels">Channels, all alike in distribution.</param>
    /// <param name="minCorner">The smallest column and row of the square's corner; the largest is below
    /// max(minCorner + 1, size/2).</param>
    /// <param name="drawNoiseUnderLesion">The square's pixels still draw (and discard) their noise value.</param>
    public static ImageData Gradient(RandomSource random, int size, bool abnormal, int channels = 1, int minCorner = 2, bool drawNoiseUnderLesion = false) =>
        Gradient(random, size, abnormal, out _, channels, minCorner, drawNoiseUnderLesion);

    /// <summary>A gradient scan with the mask of its square (all zero for a normal scan); see
    /// <see cref="Gradient(RandomSource, int, bool, int, int, bool)"/>.</summary>
    /// <param name="random">Draws the scan.</param>
    /// <param name="size">The side in pixels.</param>
    /// <param name="abnormal">Whether to draw the square.</param>
    /// <param name="mask">1 on the square, 0 elsewhere.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="minCorner">The smallest column and row of the square's corner.</param>
    /// <param name="drawNoiseUnderLesion">The square's pixels still draw (and discard) their noise value.</param>
    public static ImageData Gradient(RandomSource random, int size, bool abnormal, out ImageData mask, int channels = 1, int minCorner = 2, bool drawNoiseUnderLesion = false)
    {
        var pixels = new float[channels * size * size];
        var tilt = 0.3f + (0.1f * random.NextSingle());
        int x0 = random.NextInt(minCorner, Math.Max(minCorner + 1, size / 2)), y0 = random.NextInt(minCorner, Math.Max(minCorner + 1, size / 2));
        var side = Math.Max(1, size / 4);
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var inside = abnormal && x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                    if (inside && drawNoiseUnderLesion)
                    {
                        random.NextSingle();
                    }

                    pixels[(((c * size) + y) * size) + x] = inside ? 0.95f : 0.3f + (tilt * y / size) + (0.05f * random.NextSingle());
                }
            }
        }

        mask = abnormal ? SquareMask(size, y0, x0, side) : ImageData.FromPlanar(size, size, 1, new float[size * size]);
        return ImageData.FromPlanar(size, size, channels, pixels);
    }

    /// <summary><paramref name="count"/> gradient scans named <c>{name}_{i:D3}</c>, all drawn in turn from one random
    /// source seeded with <paramref name="seed"/>.</summary>
    /// <param name="name">The data set's name and the images' name prefix.</param>
    /// <param name="count">How many scans.</param>
    /// <param name="size">The side in pixels.</param>
    /// <param name="seed">Seeds the random source.</param>
    /// <param name="abnormal">Whether every scan carries a square and is labelled abnormal (otherwise normal).</param>
    /// <param name="channels">Channels.</param>
    /// <param name="minCorner">The smallest column and row of the square's corner.</param>
    /// <param name="drawNoiseUnderLesion">The square's pixels still draw (and discard) their noise value.</param>
    /// <param name="withMasks">Abnormal scans carry their mask.</param>
    public static ImageDataset GradientDataset(string name, int count, int size, long seed, bool abnormal, int channels = 1, int minCorner = 2,
        bool drawNoiseUnderLesion = false, bool withMasks = false)
    {
        var random = new RandomSource(seed);
        var items = new List<LabeledImage>(count);
        for (var i = 0; i < count; i++)
        {
            var image = Gradient(random, size, abnormal, out var mask, channels, minCorner, drawNoiseUnderLesion);
            items.Add(new LabeledImage($"{name}_{i:D3}", abnormal ? AnomalyLabel.Abnormal : AnomalyLabel.Normal,
                ImageSource.FromImage(image), abnormal && withMasks ? ImageSource.FromImage(mask) : null));
        }

        return new ImageDataset(name, items);
    }

    /// <summary>A ramp scan: 0.3·x/side + 0.3·y/side + 0.1·noise; an abnormal one is 1 on the fixed lesion.</summary>
    /// <param name="random">Draws one value per pixel outside the lesion, row-major.</param>
    /// <param name="abnormal">Whether to draw the lesion.</param>
    /// <param name="side">The side in pixels; at least 20 to hold the lesion.</param>
    public static ImageData Ramp(Random random, bool abnormal, int side = Size)
    {
        var pixels = new float[side * side];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                pixels[(y * side) + x] = abnormal && IsFixedLesion(x, y) ? 1f : (0.3f * x / side) + (0.3f * y / side) + (0.1f * random.NextSingle());
            }
        }

        return ImageData.FromPlanar(side, side, 1, pixels);
    }

    /// <summary>A disc scan of side <see cref="Size"/>: a disc of radius 14 at 0.4 + 0.1·noise on black; with a lesion,
    /// 0.95 on the fixed lesion.</summary>
    /// <param name="random">Draws one value per pixel inside the disc, row-major (under the lesion too).</param>
    /// <param name="lesion">Whether to draw the lesion.</param>
    public static ImageData Disc(Random random, bool lesion)
    {
        var pixels = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var inside = ((x - 15.5) * (x - 15.5)) + ((y - 15.5) * (y - 15.5)) < 14 * 14;
                pixels[(y * Size) + x] = inside ? 0.4f + (0.1f * (float)random.NextDouble()) : 0f;
                if (lesion && IsFixedLesion(x, y))
                {
                    pixels[(y * Size) + x] = 0.95f;
                }
            }
        }

        return ImageData.FromPlanar(Size, Size, 1, pixels);
    }

    /// <summary>The mask of the fixed lesion (columns 10–17, rows 12–19) in a <see cref="Size"/>-pixel image.</summary>
    public static ImageData FixedLesionMask() => SquareMask(Size, 12, 10, 8);

    private static bool IsFixedLesion(int x, int y) => x is >= 10 and < 18 && y is >= 12 and < 20;

    private static ImageData SquareMask(int size, int top, int left, int side)
    {
        var pixels = new float[size * size];
        for (var y = top; y < top + side; y++)
        {
            for (var x = left; x < left + side; x++)
            {
                pixels[(y * size) + x] = 1f;
            }
        }

        return ImageData.FromPlanar(size, size, 1, pixels);
    }
}

/// <summary>Reports on the calling thread, so a test sees every report before the call that reports returns.</summary>
/// <typeparam name="T">The report's type.</typeparam>
/// <param name="report">Receives each report.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
