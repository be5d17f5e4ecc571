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
    /// is fitted and in every prediction (see <see cref="NormalMapBaseline"/>); image scores are unchanged unless
    /// <see cref="MapScoreTopFraction"/> is set. Suits roughly aligned images (chest X-rays, brain slices, dermoscopy),
    /// where a model's error on normal anatomy would otherwise dominate every map. Defaults to false.
    /// </summary>
    public bool SubtractNormalMap { get; set; }

    /// <summary>
    /// When set, an image's score is the mean of this top fraction, in (0, 1], of the map its prediction returns
    /// (after <see cref="SubtractNormalMap"/>, when that is on) instead of the detector's own score: the strongest
    /// departures from normal anatomy, rather than the strongest errors, which sit where every normal image errs too.
    /// Thresholds are fitted on these scores. Checkpoint choices made during training still use the detector's own
    /// score. Needs a detector that produces maps. On FLAIR slices it scored lower than the top of the unsubtracted map
    /// (docs/benchmarks.md), so compare both on held-out data. Defaults to null (the detector's own score).
    /// </summary>
    public double? MapScoreTopFraction { get; set; }
}
