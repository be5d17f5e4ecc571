namespace AnomalyDetection.Detection;

/// <summary>What a detector says about one image; the same type for every detector.</summary>
/// <param name="Score">The raw anomaly score in the detector's own units (higher is more anomalous).</param>
/// <param name="NormalizedScore">The score mapped to [0, 1] by the stored calibration, with the decision threshold at exactly 0.5.</param>
/// <param name="IsAnomalous">The label: true when <paramref name="Score"/> is at least <paramref name="Threshold"/>.</param>
/// <param name="Threshold">The raw image threshold that decided the label.</param>
/// <param name="PValue">The probability that a normal image scores at least this high, from the normal validation
/// scores; null when the calibration holds none.</param>
/// <param name="Map">The pixel anomaly map at the input image's size, for detectors that localise; otherwise null.</param>
/// <param name="Mask">The binary mask of <paramref name="Map"/> at <paramref name="PixelThreshold"/>, row-major; null without a map.</param>
/// <param name="PixelThreshold">The raw pixel threshold behind <paramref name="Mask"/>; null without a map.</param>
public sealed record AnomalyPrediction(
    float Score,
    float NormalizedScore,
    bool IsAnomalous,
    float Threshold,
    double? PValue,
    AnomalyMap? Map,
    bool[]? Mask,
    float? PixelThreshold);
