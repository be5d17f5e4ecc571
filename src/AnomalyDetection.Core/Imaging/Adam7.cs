namespace AnomalyDetection.Imaging;

/// <summary>The seven passes of Adam7 interlacing: each holds every <c>StepX</c>-th column from <c>StartX</c> of every
/// <c>StepY</c>-th row from <c>StartY</c>.</summary>
internal static class Adam7
{
    /// <summary>(StartX, StartY, StepX, StepY) of each pass, in file order.</summary>
    public static readonly (int StartX, int StartY, int StepX, int StepY)[] Passes =
    [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];

    /// <summary>The number of positions from <paramref name="start"/> in steps of <paramref name="step"/> below <paramref name="size"/>.</summary>
    public static int Extent(int size, int start, int step) => size > start ? ((size - start) + step - 1) / step : 0;
}
