namespace AnomalyDetection.Calibration;

/// <summary>Settings of a <see cref="ThresholdCalibrator"/>.</summary>
public sealed class CalibrationOptions
{
    /// <summary>The default <see cref="NormalPercentile"/>: the 99th percentile, about 1% false alarms.</summary>
    public const double DefaultNormalPercentile = 99;

    /// <summary>
    /// The percentile of normal validation scores, in (0, 100], used as the threshold when the validation data has
    /// no anomalous samples to fit an F1-optimal one. Defaults to <see cref="DefaultNormalPercentile"/>.
    /// </summary>
    public double NormalPercentile { get; set; } = DefaultNormalPercentile;

    /// <summary>
    /// Subtracts the held-out normal images' mean anomaly map from every map, clamped at 0, before the pixel threshold
    /// is fitted and in every prediction (see <see cref="NormalMapBaseline"/>); image scores are unchanged. Suits
    /// roughly aligned images (chest X-rays, brain slices, dermoscopy), where a model's error on normal anatomy would
    /// otherwise dominate every map. Defaults to false.
    /// </summary>
    public bool SubtractNormalMap { get; set; }
}
