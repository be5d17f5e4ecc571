using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Visualization;

/// <summary>Lays pictures out left to right, for example input | anomaly map | overlay.</summary>
public static class SideBySide
{
    /// <summary>Scales every panel (bilinearly, keeping its aspect ratio) to <paramref name="height"/> pixels and
    /// places them in a row on a white background, <paramref name="gap"/> pixels apart.</summary>
    /// <param name="panels">The pictures, with samples in [0, 1]; gray ones are drawn gray.</param>
    /// <param name="height">The height of the result.</param>
    /// <param name="gap">The white space between panels.</param>
    /// <returns>An RGB image.</returns>
    /// <exception cref="ArgumentException">No panels were given.</exception>
    public static ImageData Compose(IReadOnlyList<ImageData> panels, int height, int gap = 4)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("Side-by-side needs at least one panel.", nameof(panels));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        var scaled = panels.Select(p => Scale(ImageRendering.ToRgb(p), height)).ToList();
        var width = scaled.Sum(p => p.Width) + (gap * (scaled.Count - 1));
        var plane = width * height;
        var pixels = new float[3 * plane];
        Array.Fill(pixels, 1f);
        var left = 0;
        foreach (var panel in scaled)
        {
            for (var c = 0; c < 3; c++)
            {
                var source = panel.Channel(c);
                for (var y = 0; y < height; y++)
                {
                    source.Slice(y * panel.Width, panel.Width).CopyTo(pixels.AsSpan((c * plane) + (y * width) + left));
                }
            }

            left += panel.Width + gap;
        }

        return new ImageData(width, height, 3, pixels, 8);
    }

    private static ImageData Scale(ImageData panel, int height)
    {
        var width = Math.Max(1, (int)Math.Round((double)panel.Width * height / panel.Height));
        return Resampler.Resize(panel, width, height, ResizeMethod.Bilinear);
    }
}
