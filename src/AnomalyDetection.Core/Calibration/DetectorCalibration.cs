namespace AnomalyDetection.Calibration;

/// <summary>Everything a detector fits on validation data after training and stores with its weights; a plain
/// record that serialises to JSON.</summary>
/// <param name="Image">The image-score threshold and normalisation.</param>
/// <param name="Pixel">The anomaly-map threshold and normalisation, or null for a detector without maps or when
/// validation had no maps.</param>
/// <param name="ImagePValues">The distribution of normal validation image scores that turns a score into a p-value,
/// or null when it was not fitted.</param>
/// <param name="MapBaseline">The normal images' mean map that is subtracted from every map, or null when
/// <see cref="CalibrationOptions.SubtractNormalMap"/> was off.</param>
public sealed record DetectorCalibration(ScoreCalibration Image, ScoreCalibration? Pixel = null, PValueModel? ImagePValues = null, NormalMapBaseline? MapBaseline = null);
