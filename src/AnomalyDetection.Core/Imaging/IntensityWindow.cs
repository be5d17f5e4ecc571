namespace AnomalyDetection.Imaging;

/// <summary>How a slice's intensities map to [0, 1]: values at or below the window's low end become 0, values at
/// or above its high end become 1, and values between are scaled linearly.</summary>
public enum IntensityWindowKind
{
    /// <summary>The whole volume's minimum to maximum, so every slice of one volume shares a scale.</summary>
    VolumeRange,

    /// <summary>The slice's own minimum to maximum.</summary>
    SliceRange,

    /// <summary>Fixed bounds given in the volume's (scaled) intensity units.</summary>
    Fixed,

    /// <summary>Percentiles of the volume's non-zero voxels (all voxels if none is non-zero), which ignores the
    /// background of skull-stripped scans and clips a few very bright voxels.</summary>
    Percentile,
}

/// <summary>
/// Chooses the intensity range of a volume that <see cref="Volume.AxialSlice"/> maps to [0, 1].
/// </summary>
/// <remarks>A window whose high end does not exceed its low end (for example the range of a constant slice) maps
/// every voxel to 0.</remarks>
public sealed record IntensityWindow
{
    private IntensityWindow(IntensityWindowKind kind, double low, double high)
    {
        Kind = kind;
        Low = low;
        High = high;
    }

    /// <summary>The volume's minimum to maximum (the default).</summary>
    public static IntensityWindow VolumeRange { get; } = new(IntensityWindowKind.VolumeRange, 0, 0);

    /// <summary>Each slice's own minimum to maximum.</summary>
    public static IntensityWindow SliceRange { get; } = new(IntensityWindowKind.SliceRange, 0, 0);

    /// <summary>Which rule picks the bounds.</summary>
    public IntensityWindowKind Kind { get; }

    /// <summary>The low bound for <see cref="IntensityWindowKind.Fixed"/>, or the low percentile for
    /// <see cref="IntensityWindowKind.Percentile"/>; unused otherwise.</summary>
    public double Low { get; }

    /// <summary>The high bound for <see cref="IntensityWindowKind.Fixed"/>, or the high percentile for
    /// <see cref="IntensityWindowKind.Percentile"/>; unused otherwise.</summary>
    public double High { get; }

    /// <summary>A window with fixed bounds in intensity units.</summary>
    /// <param name="low">The value mapped to 0.</param>
    /// <param name="high">The value mapped to 1; must exceed <paramref name="low"/>.</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite or not increasing.</exception>
    public static IntensityWindow Fixed(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"A fixed window needs finite bounds with high > low (low was {low}).");
        }

        return new IntensityWindow(IntensityWindowKind.Fixed, low, high);
    }

    /// <summary>A DICOM window (Window Center and Window Width, PS3.3 C.11.2.1.2.1, linear function): values at or
    /// below <c>center − 0.5 − (width − 1) / 2</c> map to 0, values above <c>center − 0.5 + (width − 1) / 2</c> map to
    /// 1, and values between are scaled linearly.</summary>
    /// <param name="center">The window centre, in the volume's intensity units (for CT, Hounsfield units).</param>
    /// <param name="width">The window width; must exceed 1.</param>
    /// <returns>A <see cref="IntensityWindowKind.Fixed"/> window with those bounds.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or the width is at most 1.</exception>
    public static IntensityWindow CenterWidth(double center, double width)
    {
        if (!double.IsFinite(center) || !double.IsFinite(width) || width <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"A DICOM window needs a finite centre and a width above 1 (centre was {center}).");
        }

        var half = (width - 1) / 2;
        return Fixed(center - 0.5 - half, center - 0.5 + half);
    }

    /// <summary>A window between two percentiles of the volume's non-zero voxels, for example 0.5 and 99.5.</summary>
    /// <param name="lowPercent">The percentile mapped to 0, in [0, 100).</param>
    /// <param name="highPercent">The percentile mapped to 1, in (<paramref name="lowPercent"/>, 100].</param>
    /// <returns>The window.</returns>
    /// <remarks>Percentiles interpolate linearly between sorted values, like NumPy's default.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The percentiles are out of range or not increasing.</exception>
    public static IntensityWindow Percentile(double lowPercent, double highPercent)
    {
        if (!(lowPercent >= 0 && lowPercent < highPercent && highPercent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(highPercent), highPercent, $"Percentiles must satisfy 0 <= low < high <= 100 (low was {lowPercent}).");
        }

        return new IntensityWindow(IntensityWindowKind.Percentile, lowPercent, highPercent);
    }
}
