using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>
/// The per-pixel mean anomaly map of the held-out normal images, subtracted from every map (and clamped at 0) when
/// <see cref="CalibrationOptions.SubtractNormalMap"/> is on. A reconstruction or restoration model errs most where
/// normal anatomy is hardest to reproduce (the heart's border, a dermoscope's dark corners), on every image alike;
/// without that constant part a map shows where this image departs from normal ones.
/// </summary>
public sealed record NormalMapBaseline
{
    /// <summary>Creates a baseline.</summary>
    /// <param name="width">The maps' width.</param>
    /// <param name="height">The maps' height.</param>
    /// <param name="values">The mean map, row by row; copied.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is below 1, or a value is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold width × height values.</exception>
    [JsonConstructor]
    public NormalMapBaseline(int width, int height, IReadOnlyList<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (values.Count != (long)width * height)
        {
            throw new ArgumentException($"A {width}×{height} baseline needs {(long)width * height} values, but got {values.Count}.", nameof(values));
        }

        var copy = values.ToArray();
        var bad = Array.FindIndex(copy, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(values), copy[bad], $"Baseline value {bad} must be finite.");
        }

        Width = width;
        Height = height;
        Values = copy;
    }

    /// <summary>The maps' width.</summary>
    public int Width { get; }

    /// <summary>The maps' height.</summary>
    public int Height { get; }

    /// <summary>The mean map, row by row.</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>max(0, map − baseline) per pixel; a NaN stays NaN, so that a broken map is still seen as one.</summary>
    /// <param name="map">A map of this baseline's size, row by row.</param>
    /// <returns>A new array.</returns>
    /// <exception cref="ArgumentException">The map has another number of pixels.</exception>
    public float[] Subtract(ReadOnlySpan<float> map)
    {
        if (map.Length != Values.Count)
        {
            throw new ArgumentException($"The map has {map.Length} pixels, but the normal baseline is {Width}×{Height}.", nameof(map));
        }

        var result = new float[map.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var difference = map[i] - Values[i];
            result[i] = difference > 0 || float.IsNaN(difference) ? difference : 0;
        }

        return result;
    }

    /// <summary>Equal sizes and values.</summary>
    /// <param name="other">The other baseline.</param>
    public bool Equals(NormalMapBaseline? other) =>
        other is not null && Width == other.Width && Height == other.Height && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Width, Height, Values.Count > 0 ? Values[0] : 0);
}
