using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;

namespace AnomalyDetection.Visualization;

/// <summary>Draws a ROC curve as a picture: false-positive rate to the right, true-positive rate up, the chance
/// diagonal dashed grey, the curve blue, ticks every 0.1 on both axes.</summary>
public static class RocCurvePlot
{
    /// <summary>The margin around the unit square, in pixels.</summary>
    public const int Margin = 16;

    /// <summary>The curve's colour.</summary>
    public static readonly (float Red, float Green, float Blue) CurveColour = (0.1f, 0.3f, 0.85f);

    /// <summary>The chance diagonal's colour.</summary>
    public static readonly (float Red, float Green, float Blue) DiagonalColour = (0.6f, 0.6f, 0.6f);

    /// <summary>Renders <paramref name="curve"/> on a white square of <paramref name="size"/> pixels.</summary>
    /// <param name="curve">The ROC points (as from <see cref="BinaryScoreMetrics.RocCurve"/>), joined in order.</param>
    /// <param name="size">The picture's width and height; at least 64.</param>
    /// <returns>An RGB image; rate (f, t) is drawn at pixel (<see cref="Margin"/> + f·s, size − 1 − <see cref="Margin"/> − t·s)
    /// with s = size − 1 − 2·<see cref="Margin"/>.</returns>
    /// <exception cref="ArgumentException">The curve is empty or holds a rate outside [0, 1].</exception>
    public static ImageData Render(IReadOnlyList<RocPoint> curve, int size = 320)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 64);
        if (curve.Count == 0)
        {
            throw new ArgumentException("A ROC plot needs at least one point.", nameof(curve));
        }

        foreach (var point in curve)
        {
            if (!(point.FalsePositiveRate is >= 0 and <= 1) || !(point.TruePositiveRate is >= 0 and <= 1))
            {
                throw new ArgumentException($"ROC rates must lie in [0, 1], but a point is ({point.FalsePositiveRate}, {point.TruePositiveRate}).", nameof(curve));
            }
        }

        var canvas = new Canvas(size);
        var span = size - 1 - (2 * Margin);
        var black = (0f, 0f, 0f);

        // The chance diagonal, dashed so that a curve lying on it stays visible.
        for (var i = 0; i <= span; i++)
        {
            if (i / 4 % 2 == 0)
            {
                canvas.Set(Margin + i, size - 1 - Margin - i, DiagonalColour);
            }
        }

        canvas.Line(Margin, size - 1 - Margin, size - 1 - Margin, size - 1 - Margin, black);
        canvas.Line(Margin, Margin, Margin, size - 1 - Margin, black);
        for (var tick = 0; tick <= 10; tick++)
        {
            var offset = (int)Math.Round(tick * span / 10.0);
            var length = tick % 5 == 0 ? 6 : 3;
            canvas.Line(Margin + offset, size - Margin, Margin + offset, size - 1 - Margin + length, black);
            canvas.Line(Margin - length, size - 1 - Margin - offset, Margin - 1, size - 1 - Margin - offset, black);
        }

        (int X, int Y) ToPixel(RocPoint p) =>
            (Margin + (int)Math.Round(p.FalsePositiveRate * span), size - 1 - Margin - (int)Math.Round(p.TruePositiveRate * span));

        var previous = ToPixel(curve[0]);
        canvas.ThickDot(previous.X, previous.Y, CurveColour);
        foreach (var point in curve.Skip(1))
        {
            var current = ToPixel(point);
            canvas.ThickLine(previous.X, previous.Y, current.X, current.Y, CurveColour);
            previous = current;
        }

        return canvas.ToImage();
    }

    /// <summary>A white RGB raster with clipped pixel writes and Bresenham lines.</summary>
    private sealed class Canvas
    {
        private readonly int _size;
        private readonly float[] _pixels;

        public Canvas(int size)
        {
            _size = size;
            _pixels = new float[3 * size * size];
            Array.Fill(_pixels, 1f);
        }

        public void Set(int x, int y, (float Red, float Green, float Blue) colour)
        {
            if ((uint)x >= (uint)_size || (uint)y >= (uint)_size)
            {
                return;
            }

            var plane = _size * _size;
            var i = (y * _size) + x;
            _pixels[i] = colour.Red;
            _pixels[plane + i] = colour.Green;
            _pixels[(2 * plane) + i] = colour.Blue;
        }

        public void Line(int x0, int y0, int x1, int y1, (float, float, float) colour) => Walk(x0, y0, x1, y1, (x, y) => Set(x, y, colour));

        public void ThickLine(int x0, int y0, int x1, int y1, (float, float, float) colour) => Walk(x0, y0, x1, y1, (x, y) => ThickDot(x, y, colour));

        // A 2 × 2 pen keeps the curve readable at any size without anti-aliasing.
        public void ThickDot(int x, int y, (float, float, float) colour)
        {
            Set(x, y, colour);
            Set(x + 1, y, colour);
            Set(x, y - 1, colour);
            Set(x + 1, y - 1, colour);
        }

        public ImageData ToImage() => new(_size, _size, 3, _pixels, 8);

        private static void Walk(int x0, int y0, int x1, int y1, Action<int, int> plot)
        {
            var dx = Math.Abs(x1 - x0);
            var dy = -Math.Abs(y1 - y0);
            var stepX = x0 < x1 ? 1 : -1;
            var stepY = y0 < y1 ? 1 : -1;
            var error = dx + dy;
            while (true)
            {
                plot(x0, y0);
                if (x0 == x1 && y0 == y1)
                {
                    return;
                }

                var doubled = 2 * error;
                if (doubled >= dy)
                {
                    error += dy;
                    x0 += stepX;
                }

                if (doubled <= dx)
                {
                    error += dx;
                    y0 += stepY;
                }
            }
        }
    }
}
