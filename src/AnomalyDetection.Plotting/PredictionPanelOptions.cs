namespace AnomalyDetection.Plotting;

/// <summary>How <see cref="PredictionPanel"/> draws one prediction. The defaults suit images of any size, including
/// 28–64 px inputs, which are enlarged so that their pixels can be seen.</summary>
public sealed record PredictionPanelOptions
{
    /// <summary>The length in pixels of each tile's longer side (input, map, overlay), or <see langword="null"/> for
    /// the image's own longer side clamped to [256, 512]: small images are enlarged (nearest neighbour, so pixels stay
    /// square and honest) and large ones reduced. Allowed: 64–4096.</summary>
    public int? TileSize { get; init; }

    /// <summary>The weight of the heatmap in the overlay tile, in [0, 1].</summary>
    public float OverlayWeight { get; init; } = 0.5f;

    /// <summary>The map value drawn dark blue, or <see langword="null"/> (with <see cref="MapMaximum"/>) to colour the
    /// map over its own range. Give both to compare colours across images, for example the pixel calibration's range.</summary>
    public float? MapMinimum { get; init; }

    /// <summary>The map value drawn dark red, or <see langword="null"/> (with <see cref="MapMinimum"/>) for the map's
    /// own maximum.</summary>
    public float? MapMaximum { get; init; }

    /// <summary>A line of text under the verdict, such as the image's file name; <see langword="null"/> for none.</summary>
    public string? Caption { get; init; }
}
