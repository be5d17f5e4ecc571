using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Visualization;

/// <summary>Blends a coloured anomaly map over the image it belongs to.</summary>
public static class HeatmapOverlay
{
    /// <summary>Draws <paramref name="map"/> (resized bilinearly to the image) over <paramref name="image"/> with the
    /// jet colormap: each pixel is (1 − alpha) · image + alpha · colour.</summary>
    /// <param name="image">The image, with samples in [0, 1]; gray images are drawn gray, alpha channels are dropped.</param>
    /// <param name="map">The anomaly map, at any resolution.</param>
    /// <param name="minimum">The map value drawn dark blue.</param>
    /// <param name="maximum">The map value drawn dark red.</param>
    /// <param name="alpha">The weight of the heatmap, in [0, 1].</param>
    /// <returns>An RGB image of the input's size.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside [0, 1] or the range is empty.</exception>
    public static ImageData Create(ImageData image, AnomalyMap map, float minimum, float maximum, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(map);
        if (!(alpha is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The heatmap weight must be in [0, 1].");
        }

        var values = new ImageData(map.Width, map.Height, 1, map.ToArray(), 32);
        var resized = Resampler.Resize(values, image.Width, image.Height, ResizeMethod.Bilinear);
        var colours = Colormap.Apply(resized.Pixels, image.Width, image.Height, minimum, maximum);
        var background = ImageRendering.ToRgb(image);
        var pixels = new float[colours.Pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = ((1f - alpha) * background.Pixels[i]) + (alpha * colours.Pixels[i]);
        }

        return new ImageData(image.Width, image.Height, 3, pixels, 8);
    }

    /// <summary>Draws <paramref name="map"/> over <paramref name="image"/>, colouring over the map's own value range.</summary>
    /// <param name="image">The image, with samples in [0, 1].</param>
    /// <param name="map">The anomaly map.</param>
    /// <param name="alpha">The weight of the heatmap, in [0, 1].</param>
    /// <returns>An RGB image of the input's size.</returns>
    public static ImageData Create(ImageData image, AnomalyMap map, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(map);
        var (minimum, maximum) = Colormap.Range(map.Values);
        return Create(image, map, minimum, maximum, alpha);
    }
}
