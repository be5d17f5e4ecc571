using AnomalyDetection.Metrics;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Core.Tests.Visualization;

public sealed class RocCurvePlotTests
{
    private const int Size = 320;
    private const int M = RocCurvePlot.Margin;
    private const int Span = Size - 1 - (2 * M);

    private static readonly RocPoint[] Perfect = [new(1, 0, 0), new(0.5, 0, 1), new(0, 1, 1)];

    [Fact]
    public void Render_PerfectCurve_RunsAlongTheLeftAndTopEdges()
    {
        var plot = RocCurvePlot.Render(Perfect, Size);

        Assert.Equal((Size, Size, 3), (plot.Width, plot.Height, plot.Channels));
        Assert.Equal(RocCurvePlot.CurveColour, Rgb(plot, M + (Span / 2), M));
        Assert.Equal(RocCurvePlot.CurveColour, Rgb(plot, M, M + (Span / 2)));
        Assert.Equal(RocCurvePlot.CurveColour, Rgb(plot, M + Span, M));
    }

    [Fact]
    public void Render_Always_DrawsTheDashedDiagonalTheAxesAndAWhiteBackground()
    {
        var plot = RocCurvePlot.Render(Perfect, Size);

        Assert.Equal(RocCurvePlot.DiagonalColour, Rgb(plot, M + 104, Size - 1 - M - 104));
        Assert.Equal((1f, 1f, 1f), Rgb(plot, M + 100, Size - 1 - M - 100));
        Assert.Equal((0f, 0f, 0f), Rgb(plot, M + 50, Size - 1 - M));
        Assert.Equal((1f, 1f, 1f), Rgb(plot, Size - 1, 0));
        Assert.Equal((1f, 1f, 1f), Rgb(plot, M + 200, M + 50));
    }

    [Fact]
    public void Render_ChanceCurve_LiesOnTheDiagonal()
    {
        var plot = RocCurvePlot.Render([new RocPoint(1, 0, 0), new RocPoint(0, 1, 1)], Size);

        Assert.Equal(RocCurvePlot.CurveColour, Rgb(plot, M + 100, Size - 1 - M - 100));
        Assert.Equal((1f, 1f, 1f), Rgb(plot, M + 10, M + 10));
    }

    [Fact]
    public void Render_RateOutsideUnit_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RocCurvePlot.Render([new RocPoint(0, 1.5, 0)]));

        Assert.Contains("1.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyCurve_Throws()
    {
        Assert.Throws<ArgumentException>(() => RocCurvePlot.Render([]));
    }

    private static (float, float, float) Rgb(AnomalyDetection.Imaging.ImageData image, int x, int y) => (image[0, y, x], image[1, y, x], image[2, y, x]);
}
