namespace AnomalyDetection.Imaging;

/// <summary>
/// One sub-image of a PNG's scanline data: every <see cref="StepX"/>-th column from <see cref="StartX"/> of every
/// <see cref="StepY"/>-th row from <see cref="StartY"/>. A non-interlaced image is a single pass over all pixels;
/// Adam7 interlacing stores seven.
/// </summary>
internal readonly record struct PngPass(int StartX, int StartY, int StepX, int StepY, int Width, int Height)
{
    private static readonly (int StartX, int StartY, int StepX, int StepY)[] Adam7 =
    [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];

    /// <summary>The passes that hold at least one pixel, in file order.</summary>
    public static List<PngPass> Of(PngHeader header)
    {
        if (!header.Interlaced)
        {
            return [new PngPass(0, 0, 1, 1, header.Width, header.Height)];
        }

        var passes = new List<PngPass>(Adam7.Length);
        foreach (var (startX, startY, stepX, stepY) in Adam7)
        {
            var width = Extent(header.Width, startX, stepX);
            var height = Extent(header.Height, startY, stepY);
            if (width > 0 && height > 0)
            {
                passes.Add(new PngPass(startX, startY, stepX, stepY, width, height));
            }
        }

        return passes;
    }

    /// <summary>The number of positions from <paramref name="start"/> in steps of <paramref name="step"/> below <paramref name="size"/>.</summary>
    private static int Extent(int size, int start, int step) => size > start ? ((size - start) + step - 1) / step : 0;
}
