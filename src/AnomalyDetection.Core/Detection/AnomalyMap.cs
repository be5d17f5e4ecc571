using System.Globalization;

namespace AnomalyDetection.Detection;

/// <summary>
/// A per-pixel anomaly map in the detector's score units: larger is more anomalous. Immutable.
/// </summary>
public sealed class AnomalyMap
{
    private readonly float[] _values;

    /// <summary>Wraps <paramref name="values"/> (row-major, <paramref name="height"/> × <paramref name="width"/>) without copying.</summary>
    internal AnomalyMap(int width, int height, float[] values)
    {
        if (values.Length != width * height)
        {
            throw new ArgumentException($"A {width}×{height} map needs {width * height} values, but {values.Length} were given.", nameof(values));
        }

        Width = width;
        Height = height;
        _values = values;
    }

    /// <summary>The number of columns.</summary>
    public int Width { get; }

    /// <summary>The number of rows.</summary>
    public int Height { get; }

    /// <summary>The values, row by row.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    /// <param name="y">The row.</param>
    /// <param name="x">The column.</param>
    public float this[int y, int x]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            {
                throw new ArgumentOutOfRangeException(nameof(x), string.Create(CultureInfo.InvariantCulture, $"({x}, {y}) is outside the {Width}×{Height} map."));
            }

            return _values[(y * Width) + x];
        }
    }

    /// <summary>Creates a map holding a copy of <paramref name="values"/>.</summary>
    /// <param name="width">The number of columns.</param>
    /// <param name="height">The number of rows.</param>
    /// <param name="values">Row-major values.</param>
    public static AnomalyMap From(int width, int height, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return new AnomalyMap(width, height, values.ToArray());
    }

    /// <summary>The binary mask of pixels whose value is at least <paramref name="threshold"/> or not finite.</summary>
    /// <param name="threshold">The pixel threshold, in the map's units.</param>
    /// <returns>One flag per pixel, row-major.</returns>
    public bool[] ToMask(float threshold)
    {
        var mask = new bool[_values.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            // A value the network could not compute is flagged, never passed as normal.
            mask[i] = !float.IsFinite(_values[i]) || _values[i] >= threshold;
        }

        return mask;
    }

    /// <summary>Copies the values.</summary>
    public float[] ToArray() => (float[])_values.Clone();
}
