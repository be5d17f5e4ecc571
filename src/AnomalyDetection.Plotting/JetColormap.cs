using ScottPlot;
using CoreColormap = AnomalyDetection.Visualization.Colormap;

namespace AnomalyDetection.Plotting;

/// <summary>Core's jet colormap (<see cref="CoreColormap.Jet"/>) as a ScottPlot colormap, so that the map tile, its colour
/// bar and the overlay of a prediction panel use exactly the same colours.</summary>
internal sealed class JetColormap : IColormap
{
    public string Name => "AnomalyDetection jet";

    public Color GetColor(double normalizedIntensity)
    {
        var (red, green, blue) = CoreColormap.Jet((float)normalizedIntensity);
        return new Color(ToByte(red), ToByte(green), ToByte(blue));
    }

    private static byte ToByte(float value) => (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
