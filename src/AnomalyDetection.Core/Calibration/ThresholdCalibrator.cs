using AnomalyDetection.Metrics;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnomalyDetection.Calibration;

/// <summary>
/// Fits image and pixel <see cref="ScoreCalibration"/>s on validation data: the F1-optimal threshold when the data
/// has anomalous samples, otherwise a percentile of the normal scores with a logged warning; never silently the
/// smallest score.
/// </summary>
public sealed class ThresholdCalibrator
{
    private readonly double _normalPercentile;
    private readonly ILogger _logger;

    /// <summary>Creates a calibrator.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <param name="logger">Receives the fitted thresholds and the normal-only warning; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CalibrationOptions.NormalPercentile"/> is outside (0, 100].</exception>
    public ThresholdCalibrator(CalibrationOptions? options = null, ILogger<ThresholdCalibrator>? logger = null)
    {
        options ??= new CalibrationOptions();
        if (!(options.NormalPercentile is > 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NormalPercentile, $"{nameof(CalibrationOptions.NormalPercentile)} must lie in (0, 100].");
        }

        _normalPercentile = options.NormalPercentile;
        _logger = logger ?? NullLogger<ThresholdCalibrator>.Instance;
    }

    /// <summary>Fits the image-score calibration.</summary>
    /// <param name="scores">One finite validation score per image.</param>
    /// <param name="labels">One label per image; <c>true</c> = anomalous.</param>
    /// <returns>The threshold that maximises F1 (the highest, if several do) when both classes are present;
    /// otherwise the <see cref="CalibrationOptions.NormalPercentile"/> of the scores, interpolated linearly between
    /// order statistics (NumPy's default percentile). The range is the validation scores' [min, max].</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, a score is not finite, there are no
    /// normal images, or all scores are equal.</exception>
    public ScoreCalibration FitImage(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        ScoreInput.Validate(scores, labels);
        var normalScores = new List<double>(scores.Length);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var i = 0; i < scores.Length; i++)
        {
            min = Math.Min(min, scores[i]);
            max = Math.Max(max, scores[i]);
            if (!labels[i])
            {
                normalScores.Add(scores[i]);
            }
        }

        RequireNormalsAndRange(normalScores.Count, min, max, nameof(labels));
        var anomalousCount = scores.Length - normalScores.Count;
        if (anomalousCount > 0)
        {
            var best = ScoreSweep.FromScores(scores, labels).BestF1();
            CalibrationLog.ThresholdFittedByF1(_logger, "image", best.Threshold, best.Value, normalScores.Count, anomalousCount);
            return new ScoreCalibration(best.Threshold, min, max, ThresholdSource.F1Max);
        }

        var threshold = ArrayStatistics.QuantileCustomInplace([.. normalScores], _normalPercentile / 100, QuantileDefinition.R7);
        CalibrationLog.NoAnomaliesInValidation(_logger, "image", normalScores.Count, threshold, _normalPercentile);
        return new ScoreCalibration(threshold, min, max, ThresholdSource.NormalPercentile);
    }

    /// <summary>Fits the anomaly-map (pixel) calibration from validation maps and masks.</summary>
    /// <param name="validation">The validation maps and masks.</param>
    /// <returns>The threshold of the best data-set-level Dice (pixel F1-max) when some pixels are anomalous;
    /// otherwise the lowest threshold at which at most (100 − <see cref="CalibrationOptions.NormalPercentile"/>)% of
    /// the normal pixels score at or above it: the percentile read from the upper tail, because pixels may be binned
    /// rather than kept. When the accumulator is binned, thresholds are bin edges. The range is the pixel scores'
    /// [min, max].</returns>
    /// <exception cref="ArgumentException">The accumulator has no normal pixels, or all its scores are equal.</exception>
    public ScoreCalibration FitPixel(PixelScoreAccumulator validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var normalCount = validation.PixelCount - validation.AnomalousPixelCount;
        RequireNormalsAndRange(normalCount, validation.MinimumScore, validation.MaximumScore, nameof(validation));
        var sweep = validation.BuildSweep();
        if (validation.AnomalousPixelCount > 0)
        {
            var best = sweep.BestF1();
            CalibrationLog.ThresholdFittedByF1(_logger, "pixel", best.Threshold, best.Value, normalCount, validation.AnomalousPixelCount);
            return new ScoreCalibration(best.Threshold, validation.MinimumScore, validation.MaximumScore, ThresholdSource.F1Max);
        }

        var threshold = UpperTailThreshold(sweep, _normalPercentile);
        CalibrationLog.NoAnomaliesInValidation(_logger, "pixel", normalCount, threshold, _normalPercentile);
        return new ScoreCalibration(threshold, validation.MinimumScore, validation.MaximumScore, ThresholdSource.NormalPercentile);
    }

    // The lowest threshold with at most (100 − percentile)% of the samples at or above it; the highest threshold when
    // even that one has more (a heavy tie at the top). Comparing in percent keeps e.g. 90 → 10% exact.
    private static double UpperTailThreshold(ScoreSweep sweep, double percentile)
    {
        var allowedPercent = (100 - percentile) * sweep.Negatives;
        var threshold = sweep.Thresholds[0];
        for (var k = 0; k < sweep.Thresholds.Length && sweep.FalsePositives[k] * 100.0 <= allowedPercent; k++)
        {
            threshold = sweep.Thresholds[k];
        }

        return threshold;
    }

    private static void RequireNormalsAndRange(long normalCount, double min, double max, string parameterName)
    {
        if (normalCount == 0)
        {
            throw new ArgumentException("Calibration needs normal validation samples, but there are none.", parameterName);
        }

        if (!(max > min))
        {
            throw new ArgumentException($"Calibration needs validation scores that differ, but all are {min}; the normalisation range would be empty.", parameterName);
        }
    }
}
