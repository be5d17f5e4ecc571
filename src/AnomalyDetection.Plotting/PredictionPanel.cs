using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Visualization;
using ScottPlot;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>
/// One image's prediction as a picture people can read: the verdict (ANOMALOUS or normal) with the score and the
/// threshold on top, then input | anomaly map with a colour bar | overlay, enlarged when the image is small, with the
/// ground-truth mask outlined in magenta when one is given.
/// </summary>
/// <remarks>For a detector without a pixel map only the input tile is drawn. Text uses DejaVu Sans embedded in this
/// assembly, so the panel looks the same on machines without installed fonts.</remarks>
public static class PredictionPanel
{
    private const int Margin = 16;
    private const int Gap = 24;
    private const int MinimumWidth = 640;
    private const float VerdictSize = 22;
    private const float TextSize = 15;
    private const int MinimumTile = 64;
    private const int MaximumTile = 4096;

    /// <summary>Renders the panel.</summary>
    /// <param name="image">The image that was scored, with samples in [0, 1] (as loaded); gray is drawn gray.</param>
    /// <param name="prediction">The detector's prediction for <paramref name="image"/>.</param>
    /// <param name="groundTruthMask">The ground-truth mask (non-zero = anomalous pixel, as from
    /// <c>LabeledImage.LoadMask</c>), of the image's size, or <see langword="null"/>.</param>
    /// <param name="options">How to draw it, or <see langword="null"/> for the defaults.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The mask's size differs from the image's, or an option is out of range.</exception>
    public static byte[] Render(ImageData image, AnomalyPrediction prediction, ImageData? groundTruthMask = null, PredictionPanelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(prediction);
        options ??= new PredictionPanelOptions();
        Check(image, groundTruthMask, options);

        var (tileWidth, tileHeight) = TileSize(image, options.TileSize);
        var map = prediction.Map;
        var tileCount = map is null ? 1 : 3;
        var width = Math.Max(MinimumWidth, (2 * Margin) + (tileCount * tileWidth) + ((tileCount - 1) * Gap) + (map is null ? 0 : MapTilePlot.ColourBarWidth));
        var verdictBaseline = Margin + VerdictSize;
        var detailBaseline = verdictBaseline + 26;
        var captionBaseline = detailBaseline + 30;
        var tileTop = captionBaseline + 10;
        var height = (int)tileTop + tileHeight + Margin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not create a {width}×{height} drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var inputTile = new SKRect(Margin, tileTop, Margin + tileWidth, tileTop + tileHeight);
        var mapTile = new SKRect(inputTile.Right + Gap, tileTop, inputTile.Right + Gap + tileWidth, tileTop + tileHeight);
        var overlayTile = new SKRect(mapTile.Right + MapTilePlot.ColourBarWidth + Gap, tileTop, mapTile.Right + MapTilePlot.ColourBarWidth + Gap + tileWidth, tileTop + tileHeight);
        var (minimum, maximum) = map is null ? (0f, 1f) : MapRange(map, options);
        if (map is not null)
        {
            // First: ScottPlot fills the whole canvas with its background before drawing its rectangle.
            MapTilePlot.Build(map, minimum, maximum).Render(canvas, new PixelRect(mapTile.Left, mapTile.Right + MapTilePlot.ColourBarWidth, mapTile.Bottom, mapTile.Top));
        }

        using var verdictFont = new SKFont(EmbeddedFont.Bold, VerdictSize);
        using var textFont = new SKFont(EmbeddedFont.Regular, TextSize);
        DrawVerdict(canvas, prediction, verdictFont, textFont, verdictBaseline);
        DrawText(canvas, Details(prediction, groundTruthMask is not null, options.Caption), Margin, detailBaseline, textFont, SKColors.DimGray);

        using (var input = SkiaImages.FromImageData(image))
        {
            DrawTile(canvas, input, "input", inputTile, captionBaseline, textFont, groundTruthMask);
        }

        if (map is not null)
        {
            FinishTile(canvas, "anomaly map", mapTile, captionBaseline, textFont, groundTruthMask);
            using var overlay = SkiaImages.FromImageData(HeatmapOverlay.Create(image, map, minimum, maximum, options.OverlayWeight));
            DrawTile(canvas, overlay, $"overlay (heatmap weight {PlotText.Score(options.OverlayWeight)})", overlayTile, captionBaseline, textFont, groundTruthMask);
        }


        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Writes <see cref="Render"/>'s picture to a PNG file atomically (a temporary file renamed over the
    /// target), creating the folder if needed.</summary>
    /// <param name="image">The image that was scored, with samples in [0, 1].</param>
    /// <param name="prediction">The detector's prediction for <paramref name="image"/>.</param>
    /// <param name="path">The PNG file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="groundTruthMask">The ground-truth mask of the image's size, or <see langword="null"/>.</param>
    /// <param name="options">How to draw it, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">The mask's size differs from the image's, an option is out of range, or
    /// the path is empty.</exception>
    public static Task SaveAsync(
        ImageData image, AnomalyPrediction prediction, string path, ImageData? groundTruthMask = null, PredictionPanelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicPng.WriteAsync(path, Render(image, prediction, groundTruthMask, options), cancellationToken);
    }

    private static void Check(ImageData image, ImageData? mask, PredictionPanelOptions options)
    {
        if (mask is not null && (mask.Width != image.Width || mask.Height != image.Height))
        {
            throw new ArgumentException(PlotText.Invariant($"The ground-truth mask is {mask.Width}×{mask.Height} but the image is {image.Width}×{image.Height}; a mask must have its image's size."), nameof(mask));
        }

        if (options.TileSize is { } tile && tile is < MinimumTile or > MaximumTile)
        {
            throw new ArgumentException(PlotText.Invariant($"The tile size must be in [{MinimumTile}, {MaximumTile}] pixels, but was {tile}."), nameof(options));
        }

        if (!(options.OverlayWeight is >= 0f and <= 1f))
        {
            throw new ArgumentException(PlotText.Invariant($"The overlay weight must be in [0, 1], but was {options.OverlayWeight}."), nameof(options));
        }

        if (options.MapMinimum.HasValue != options.MapMaximum.HasValue)
        {
            throw new ArgumentException("Give both MapMinimum and MapMaximum, or neither (to colour each map over its own range).", nameof(options));
        }

        if (options is { MapMinimum: { } low, MapMaximum: { } high } && !(float.IsFinite(low) && float.IsFinite(high) && high > low))
        {
            throw new ArgumentException(PlotText.Invariant($"The map's colour range must be finite with MapMaximum > MapMinimum, but was [{low}, {high}]."), nameof(options));
        }
    }

    /// <summary>The tile's size: the longer side at the requested length (default: the image's, clamped to [256, 512]).</summary>
    private static (int Width, int Height) TileSize(ImageData image, int? requested)
    {
        var longer = Math.Max(image.Width, image.Height);
        var target = requested ?? Math.Clamp(longer, 256, 512);
        var scale = (double)target / longer;
        return (Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
    }

    /// <summary>The colour range: the options' when given, else the map's finite values, widened when they are all equal.</summary>
    private static (float Minimum, float Maximum) MapRange(AnomalyMap map, PredictionPanelOptions options)
    {
        if (options is { MapMinimum: { } low, MapMaximum: { } high })
        {
            return (low, high);
        }

        var minimum = float.PositiveInfinity;
        var maximum = float.NegativeInfinity;
        foreach (var value in map.Values)
        {
            if (float.IsFinite(value))
            {
                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }
        }

        if (!float.IsFinite(minimum))
        {
            return (0f, 1f);
        }

        return maximum > minimum ? (minimum, maximum) : (minimum, minimum + Math.Max(Math.Abs(minimum) * 0.01f, 1e-6f));
    }

    private static void DrawVerdict(SKCanvas canvas, AnomalyPrediction prediction, SKFont verdictFont, SKFont textFont, float baseline)
    {
        var verdict = prediction.IsAnomalous ? "ANOMALOUS" : "normal";
        var colour = ToSkia(prediction.IsAnomalous ? PlotColours.AnomalousText : PlotColours.NormalText);
        DrawText(canvas, verdict, Margin, baseline, verdictFont, colour);
        var comparison = prediction.IsAnomalous ? "≥" : "<";
        var scoreText = $"score {PlotText.Score(prediction.Score)} {comparison} threshold {PlotText.Score(prediction.Threshold)}";
        DrawText(canvas, scoreText, Margin + verdictFont.MeasureText(verdict) + 14, baseline, textFont, SKColors.Black);
    }

    private static string Details(AnomalyPrediction prediction, bool hasMask, string? caption)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(caption))
        {
            parts.Add(caption);
        }

        if (prediction.PValue is { } p)
        {
            parts.Add($"p-value {PlotText.Score(p)}");
        }

        if (prediction.Map is null)
        {
            parts.Add("no anomaly map (this detector does not localise)");
        }

        if (hasMask)
        {
            parts.Add("magenta outline: ground-truth mask");
        }

        return string.Join("  ·  ", parts);
    }

    private static void DrawTile(SKCanvas canvas, SKImage picture, string caption, SKRect tile, float captionBaseline, SKFont font, ImageData? mask)
    {
        // Nearest neighbour: a 28 px image enlarged to 256 px shows its real pixels instead of a blur.
        canvas.DrawImage(picture, tile, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
        FinishTile(canvas, caption, tile, captionBaseline, font, mask);
    }

    private static void FinishTile(SKCanvas canvas, string caption, SKRect tile, float captionBaseline, SKFont font, ImageData? mask)
    {
        if (mask is not null)
        {
            MaskOutline.Draw(canvas, mask, tile, ToSkia(PlotColours.MaskOutline));
        }

        using var border = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawRect(SKRect.Inflate(tile, 0.5f, 0.5f), border);
        DrawText(canvas, caption, tile.Left, captionBaseline, font, SKColors.Black);
    }

    private static void DrawText(SKCanvas canvas, string text, float x, float baseline, SKFont font, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        canvas.DrawText(text, x, baseline, SKTextAlign.Left, font, paint);
    }

    private static SKColor ToSkia(ScottPlot.Color colour) => new(colour.R, colour.G, colour.B, colour.A);
}
