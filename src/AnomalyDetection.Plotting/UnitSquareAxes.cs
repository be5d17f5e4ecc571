using ScottPlot;
using ScottPlot.TickGenerators;

namespace AnomalyDetection.Plotting;

/// <summary>Axes for rates: [0, 1] on both with a sliver of room so lines on the border stay visible, and a labelled
/// tick every 0.1.</summary>
internal static class UnitSquareAxes
{
    public static void Apply(Plot plot)
    {
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.Axes.Bottom.TickGenerator = new NumericFixedInterval(0.1);
        plot.Axes.Left.TickGenerator = new NumericFixedInterval(0.1);
    }
}
