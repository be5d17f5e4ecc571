namespace AnomalyDetection.Metrics;

/// <summary>The result of evaluating a detector on a labelled test set; a plain record that serialises to JSON.</summary>
/// <param name="Image">The image-level detection metrics.</param>
/// <param name="Pixel">The pixel-level localisation metrics, or null when the test set has no masks.</param>
public sealed record EvaluationReport(ImageLevelMetrics Image, PixelLevelMetrics? Pixel);
