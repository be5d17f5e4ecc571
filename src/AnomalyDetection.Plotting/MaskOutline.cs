using AnomalyDetection.Imaging;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>Draws the border of a ground-truth mask along pixel edges: every edge between a mask pixel and a
/// non-mask pixel (or the image border), scaled to the tile it is drawn on.</summary>
internal static class MaskOutline
{
    /// <summary>Whether a mask sample counts as anomalous: masks are loaded as 0s and 1s, anything bright counts.</summary>
    public static bool IsSet(ImageData mask, int x, int y) => mask[0, y, x] >= 0.5f;

    /// <summary>Strokes the outline onto <paramref name="canvas"/> inside <paramref name="tile"/>.</summary>
    public static void Draw(SKCanvas canvas, ImageData mask, SKRect tile, SKColor colour)
    {
        var scaleX = tile.Width / mask.Width;
        var scaleY = tile.Height / mask.Height;

        // Two pixels wide and not anti-aliased: visible on any background and exactly the outline colour.
        using var paint = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = false };
        canvas.Save();
        canvas.ClipRect(tile);
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                if (!IsSet(mask, x, y))
                {
                    continue;
                }

                var left = tile.Left + (x * scaleX);
                var top = tile.Top + (y * scaleY);
                var right = left + scaleX;
                var bottom = top + scaleY;
                DrawEdgeIfBorder(canvas, paint, mask, x, y - 1, left, top, right, top);
                DrawEdgeIfBorder(canvas, paint, mask, x, y + 1, left, bottom, right, bottom);
                DrawEdgeIfBorder(canvas, paint, mask, x - 1, y, left, top, left, bottom);
                DrawEdgeIfBorder(canvas, paint, mask, x + 1, y, right, top, right, bottom);
            }
        }

        canvas.Restore();
    }

    private static void DrawEdgeIfBorder(SKCanvas canvas, SKPaint paint, ImageData mask, int neighbourX, int neighbourY, float x0, float y0, float x1, float y1)
    {
        var inside = neighbourX >= 0 && neighbourY >= 0 && neighbourX < mask.Width && neighbourY < mask.Height;
        if (!inside || !IsSet(mask, neighbourX, neighbourY))
        {
            canvas.DrawLine(x0, y0, x1, y1, paint);
        }
    }
}
