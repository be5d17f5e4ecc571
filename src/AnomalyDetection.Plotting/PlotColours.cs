using ScottPlot;

namespace AnomalyDetection.Plotting;

/// <summary>The colours the pictures use, in one place so that tests can look for them. The threshold and the
/// mask outline take colours that the curves, bars and the jet colormap never produce.</summary>
internal static class PlotColours
{
    /// <summary>The ROC and precision–recall curves.</summary>
    public static readonly Color Curve = new(31, 119, 180);

    /// <summary>The chance line (diagonal or anomalous fraction).</summary>
    public static readonly Color Chance = new(128, 128, 128);

    /// <summary>Normal images' scores.</summary>
    public static readonly Color Normal = new(31, 119, 180);

    /// <summary>Anomalous images' scores.</summary>
    public static readonly Color Anomalous = new(214, 39, 40);

    /// <summary>The decision threshold: its vertical line and its point on the curves.</summary>
    public static readonly Color Threshold = new(0, 160, 0);

    /// <summary>The ground-truth mask's outline in prediction panels: magenta is absent from jet and from gray images.</summary>
    public static readonly Color MaskOutline = new(255, 0, 255);

    /// <summary>The label text of an image called anomalous.</summary>
    public static readonly Color AnomalousText = new(200, 0, 0);

    /// <summary>The label text of an image called normal.</summary>
    public static readonly Color NormalText = new(0, 110, 0);
}
