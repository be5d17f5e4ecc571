using System.Diagnostics;
using System.Numerics.Tensors;

namespace AnomalyDetection.Imaging;

/// <summary>
/// An immutable 3-D scalar volume (one MR or CT series) of float32 intensities, x fastest, then y, then z, as
/// NIfTI stores voxels. Axial slices are the x–y planes at fixed z.
/// </summary>
/// <remarks>Orientation matrices (qform/sform) are not applied: slices are returned in storage order, so for
/// a NIfTI file column x is the first axis (i) and row y the second (j), as NumPy's <c>data[:, :, k].T</c>. A DICOM
/// file's frames are its slices: column x and row y of frame z are voxel (x, y, z).</remarks>
public sealed class Volume
{
    private readonly float[] _voxels;

    /// <summary>Wraps <paramref name="voxels"/> without copying; the caller hands over ownership.</summary>
    internal Volume(int width, int height, int depth, float[] voxels, (float X, float Y, float Z) spacing, int sourceBitDepth,
        IntensityWindow? displayWindow = null, bool invertedDisplay = false)
    {
        DisplayWindow = displayWindow;
        InvertedDisplay = invertedDisplay;
        Debug.Assert(voxels.Length == (long)width * height * depth);
        Width = width;
        Height = height;
        Depth = depth;
        SpacingX = spacing.X;
        SpacingY = spacing.Y;
        SpacingZ = spacing.Z;
        SourceBitDepth = sourceBitDepth;
        _voxels = voxels;
        Minimum = TensorPrimitives.Min<float>(voxels);
        Maximum = TensorPrimitives.Max<float>(voxels);
    }

    /// <summary>The number of voxels along x (NIfTI's first axis).</summary>
    public int Width { get; }

    /// <summary>The number of voxels along y (NIfTI's second axis).</summary>
    public int Height { get; }

    /// <summary>The number of axial slices, along z (NIfTI's third axis).</summary>
    public int Depth { get; }

    /// <summary>The voxel size along x, in the file's spatial unit (usually mm); 0 if the file did not say.</summary>
    public float SpacingX { get; }

    /// <summary>The voxel size along y, in the file's spatial unit (usually mm); 0 if the file did not say.</summary>
    public float SpacingY { get; }

    /// <summary>The voxel size along z, in the file's spatial unit (usually mm); 0 if the file did not say.</summary>
    public float SpacingZ { get; }

    /// <summary>The bits per voxel of the stored datatype (8 for uint8, 16 for int16, 64 for float64, …), or 32 for
    /// a volume built from floats.</summary>
    public int SourceBitDepth { get; }

    /// <summary>The window the file recommends for display (DICOM's first Window Center/Width), or
    /// <see langword="null"/>; pass it to <see cref="AxialSlice"/> to apply it.</summary>
    public IntensityWindow? DisplayWindow { get; }

    /// <summary>Whether slices map high intensities to dark (0) and low ones to bright (1), as DICOM MONOCHROME1
    /// images are displayed; the intensities themselves are unchanged.</summary>
    public bool InvertedDisplay { get; }

    /// <summary>The smallest intensity.</summary>
    public float Minimum { get; }

    /// <summary>The largest intensity.</summary>
    public float Maximum { get; }

    /// <summary>All intensities, x fastest, then y, then z.</summary>
    public ReadOnlySpan<float> Voxels => _voxels;

    /// <summary>The intensity at (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>).</summary>
    /// <param name="x">In [0, <see cref="Width"/>).</param>
    /// <param name="y">In [0, <see cref="Height"/>).</param>
    /// <param name="z">In [0, <see cref="Depth"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the volume.</exception>
    public float this[int x, int y, int z]
    {
        get
        {
            CheckIndex(x, Width, nameof(x));
            CheckIndex(y, Height, nameof(y));
            CheckIndex(z, Depth, nameof(z));
            return _voxels[(((long)z * Height) + y) * Width + x];
        }
    }

    /// <summary>Creates a volume holding a copy of <paramref name="voxels"/> (x fastest, then y, then z).</summary>
    /// <param name="width">Voxels along x, at least 1.</param>
    /// <param name="height">Voxels along y, at least 1.</param>
    /// <param name="depth">Voxels along z, at least 1.</param>
    /// <param name="voxels">Width × height × depth finite intensities.</param>
    /// <param name="spacingX">Voxel size along x (0 if unknown).</param>
    /// <param name="spacingY">Voxel size along y (0 if unknown).</param>
    /// <param name="spacingZ">Voxel size along z (0 if unknown).</param>
    /// <returns>The volume, with <see cref="SourceBitDepth"/> 32.</returns>
    /// <exception cref="ArgumentException">A size is not positive, the length does not match, or a voxel is not finite.</exception>
    public static Volume FromVoxels(int width, int height, int depth, ReadOnlySpan<float> voxels, float spacingX = 1, float spacingY = 1, float spacingZ = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        var expected = (long)width * height * depth;
        if (expected != voxels.Length)
        {
            throw new ArgumentException($"A {width}×{height}×{depth} volume needs {expected} voxels, but {voxels.Length} were given.", nameof(voxels));
        }

        var copy = voxels.ToArray();
        var bad = Array.FindIndex(copy, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentException($"Voxel {bad} is {copy[bad]}; volumes hold finite intensities.", nameof(voxels));
        }

        return new Volume(width, height, depth, copy, (spacingX, spacingY, spacingZ), 32);
    }

    /// <summary>The axial slice at <paramref name="z"/> as a one-channel image with intensities windowed to [0, 1].</summary>
    /// <param name="z">The slice index, in [0, <see cref="Depth"/>).</param>
    /// <param name="window">How intensities map to [0, 1]; <see cref="IntensityWindow.VolumeRange"/> when omitted.</param>
    /// <returns>A <see cref="Width"/> × <see cref="Height"/> gray image whose column x and row y are voxel (x, y, z).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="z"/> is outside the volume.</exception>
    public ImageData AxialSlice(int z, IntensityWindow? window = null)
    {
        CheckIndex(z, Depth, nameof(z));
        window ??= IntensityWindow.VolumeRange;
        var (low, high) = window.Kind == IntensityWindowKind.SliceRange ? SliceRange(z) : VolumeWindow(window);
        return ExtractSlice(z, low, high);
    }

    /// <summary>Every axial slice, in order of z, windowed alike (the volume-level bounds are computed once).</summary>
    /// <param name="window">How intensities map to [0, 1]; <see cref="IntensityWindow.VolumeRange"/> when omitted.</param>
    /// <returns><see cref="Depth"/> gray images.</returns>
    public IReadOnlyList<ImageData> AxialSlices(IntensityWindow? window = null)
    {
        window ??= IntensityWindow.VolumeRange;
        var slices = new ImageData[Depth];
        var volumeBounds = window.Kind == IntensityWindowKind.SliceRange ? default : VolumeWindow(window);
        for (var z = 0; z < Depth; z++)
        {
            var (low, high) = window.Kind == IntensityWindowKind.SliceRange ? SliceRange(z) : volumeBounds;
            slices[z] = ExtractSlice(z, low, high);
        }

        return slices;
    }

    private (double Low, double High) VolumeWindow(IntensityWindow window) => window.Kind switch
    {
        IntensityWindowKind.Fixed => (window.Low, window.High),
        IntensityWindowKind.Percentile => PercentileRange(window.Low, window.High),
        _ => (Minimum, Maximum),
    };

    private (double Low, double High) SliceRange(int z)
    {
        var slice = _voxels.AsSpan(z * Width * Height, Width * Height);
        return (TensorPrimitives.Min<float>(slice), TensorPrimitives.Max<float>(slice));
    }

    private (double Low, double High) PercentileRange(double lowPercent, double highPercent)
    {
        var foreground = _voxels.Where(v => v != 0).ToArray();
        if (foreground.Length == 0)
        {
            foreground = (float[])_voxels.Clone();
        }

        Array.Sort(foreground);
        return (Interpolate(foreground, lowPercent), Interpolate(foreground, highPercent));

        static double Interpolate(float[] sorted, double percent)
        {
            var position = percent / 100 * (sorted.Length - 1);
            var below = (int)Math.Floor(position);
            var above = Math.Min(below + 1, sorted.Length - 1);
            return sorted[below] + ((position - below) * (sorted[above] - (double)sorted[below]));
        }
    }

    private ImageData ExtractSlice(int z, double low, double high)
    {
        var plane = Width * Height;
        var pixels = new float[plane];
        if (!(high > low) && InvertedDisplay)
        {
            Array.Fill(pixels, 1f);
        }
        else if (high > low)
        {
            var slice = _voxels.AsSpan(z * plane, plane);
            var scale = 1.0 / (high - low);
            for (var i = 0; i < plane; i++)
            {
                var value = (float)Math.Clamp((slice[i] - low) * scale, 0, 1);
                pixels[i] = InvertedDisplay ? 1f - value : value;
            }
        }

        return new ImageData(Width, Height, 1, pixels, SourceBitDepth);
    }

    private static void CheckIndex(int index, int size, string name)
    {
        if ((uint)index >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(name, index, $"Must be in [0, {size}).");
        }
    }
}
