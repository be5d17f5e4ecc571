using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Visualization;

/// <summary>Turns anomaly maps into colour pictures with the jet colormap (dark blue → cyan → yellow → dark red).</summary>
public static class Colormap
{
    /// <summary>The jet colour of <paramref name="value"/>, which is clamped to [0, 1].</summary>
    /// <param name="value">The normalised value: 0 is dark blue, 0.5 green-grey, 1 dark red.</param>
    /// <returns>The red, green and blue components in [0, 1].</returns>
    public static (float Red, float Green, float Blue) Jet(float value)
    {
        // NaN lands on the low end rather than poisoning the picture.
        var t = float.IsNaN(value) ? 0f : Math.Clamp(value, 0f, 1f);
        return (Ramp((4f * t) - 3f), Ramp((4f * t) - 2f), Ramp((4f * t) - 1f));
    }

    /// <summary>Colours a map, scaling its values from [<paramref name="minimum"/>, <paramref name="maximum"/>] to the
    /// colormap; values outside the range take the end colours.</summary>
    /// <param name="map">The anomaly map.</param>
    /// <param name="minimum">The value drawn dark blue.</param>
    /// <param name="maximum">The value drawn dark red; must exceed <paramref name="minimum"/>.</param>
    /// <returns>An RGB image of the map's size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or not finite.</exception>
    public static ImageData Apply(AnomalyMap map, float minimum, float maximum)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Apply(map.Values, map.Width, map.Height, minimum, maximum);
    }

    /// <summary>Colours a map over its own value range (a constant map is drawn dark blue).</summary>
    /// <param name="map">The anomaly map.</param>
    /// <returns>An RGB image of the map's size.</returns>
    public static ImageData Apply(AnomalyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var (minimum, maximum) = Range(map.Values);
        return Apply(map.Values, map.Width, map.Height, minimum, maximum);
    }

    /// <summary>The smallest and largest finite value of a map, widened to a non-empty range.</summary>
    internal static (float Minimum, float Maximum) Range(ReadOnlySpan<float> values)
    {
        var minimum = float.PositiveInfinity;
        var maximum = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                minimum = Math.Min(minimum, v);
                maximum = Math.Max(maximum, v);
            }
        }

        if (!(maximum > minimum))
        {
            minimum = float.IsFinite(minimum) ? minimum : 0f;
            maximum = minimum + 1f;
        }

        return (minimum, maximum);
    }

    internal static ImageData Apply(ReadOnlySpan<float> values, int width, int height, float minimum, float maximum)
    {
        if (!float.IsFinite(minimum) || !float.IsFinite(maximum) || !(maximum > minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The colour range must be finite with maximum > minimum (minimum was {minimum}).");
        }

        var plane = width * height;
        var pixels = new float[3 * plane];
        var scale = 1f / (maximum - minimum);
        for (var i = 0; i < plane; i++)
        {
            var (red, green, blue) = Jet((values[i] - minimum) * scale);
            pixels[i] = red;
            pixels[plane + i] = green;
            pixels[(2 * plane) + i] = blue;
        }

        return new ImageData(width, height, 3, pixels, 8);
    }

    private static float Ramp(float x) => Math.Clamp(1.5f - Math.Abs(x), 0f, 1f);
}
