using AnomalyDetection.Calibration;
using AnomalyDetection.Metrics;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Core.Tests.Calibration;

public class ThresholdCalibratorTests
{
    [Fact]
    public void FitImage_BothClasses_UsesTheF1MaxThresholdAndLogsIt()
    {
        // F1 = 2TP / (TP + FP + P) with P = 3: 0.9 → 2/4; 0.8 → 4/6; 0.5 → 6/9; 0.2 → 6/10; the higher of the tied
        // 0.8 and 0.5 wins. Range [0.2, 0.9].
        float[] scores = [0.9f, 0.8f, 0.8f, 0.5f, 0.5f, 0.5f, 0.2f];
        bool[] labels = [true, true, false, true, false, false, false];
        var logger = new CapturingLogger<ThresholdCalibrator>();

        var calibration = new ThresholdCalibrator(logger: logger).FitImage(scores, labels);

        Assert.Equal(new ScoreCalibration(0.8f, 0.2f, 0.9f, ThresholdSource.F1Max), calibration);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(CalibrationLog.ThresholdFittedByF1Id, entry.EventId.Id);
    }

    [Theory]
    [InlineData(99, 99.01)]
    [InlineData(90, 90.1)]
    [InlineData(50, 50.5)]
    public void FitImage_NormalOnly_UsesPercentileAndWarns(double percentile, double expected)
    {
        // Scores 1..100; the linear (R7) percentile p sits at rank h = 99 · p/100 (0-based) between order statistics:
        // p = 99 → h = 98.01 → 99 + 0.01 · (100 − 99) = 99.01; p = 90 → h = 89.1 → 90.1; p = 50 → h = 49.5 → 50.5.
        var scores = Enumerable.Range(1, 100).Select(i => (float)i).Reverse().ToArray();
        var logger = new CapturingLogger<ThresholdCalibrator>();
        var calibrator = new ThresholdCalibrator(new CalibrationOptions { NormalPercentile = percentile }, logger);

        var calibration = calibrator.FitImage(scores, new bool[100]);

        Assert.Equal(expected, calibration.Threshold, 9);
        Assert.Equal(ThresholdSource.NormalPercentile, calibration.Source);
        Assert.Equal((1.0, 100.0), (calibration.Minimum, calibration.Maximum));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(CalibrationLog.NoAnomaliesInValidationId, entry.EventId.Id);
        Assert.Contains("no anomalous image samples", entry.Message);
    }

    [Fact]
    public void FitImage_NoNormalsOrNoRange_Throws()
    {
        var calibrator = new ThresholdCalibrator();
        Assert.Contains("needs normal validation samples", Assert.Throws<ArgumentException>(() => calibrator.FitImage([0.4f, 0.6f], [true, true])).Message);
        Assert.Contains("scores that differ", Assert.Throws<ArgumentException>(() => calibrator.FitImage([0.4f, 0.4f], [true, false])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdCalibrator(new CalibrationOptions { NormalPercentile = 0 }));
    }

    [Fact]
    public void FitPixel_WithAnomalies_UsesTheBestDiceThreshold()
    {
        var validation = new PixelScoreAccumulator();
        validation.Add([0.9f, 0.1f, 0.7f, 0.2f, 0.6f, 0.3f], [true, false, true, false, false, true], 2, 3);
        validation.Add([0.8f, 0.4f], [false, true], 1, 2);
        var logger = new CapturingLogger<ThresholdCalibrator>();

        var calibration = new ThresholdCalibrator(logger: logger).FitPixel(validation);

        var metrics = validation.ComputeMetrics();
        Assert.Equal(new ScoreCalibration(metrics.BestDiceThreshold, 0.1f, 0.9f, ThresholdSource.F1Max), calibration);
        Assert.Equal(LogLevel.Information, Assert.Single(logger.Entries).Level);
    }

    [Theory]
    [InlineData(99, 100)]
    [InlineData(90, 91)]
    public void FitPixel_NormalOnly_UsesUpperTailPercentileAndWarns(double percentile, double expected)
    {
        // 100 normal pixels scored 1..100. At most (100 − p)% may lie at or above the threshold: p = 99 allows one
        // pixel (threshold 100), p = 90 allows ten (91..100, threshold 91).
        var map = Enumerable.Range(1, 100).Select(i => (float)i).ToArray();
        var validation = new PixelScoreAccumulator();
        validation.AddNormal(map);
        var logger = new CapturingLogger<ThresholdCalibrator>();

        var calibration = new ThresholdCalibrator(new CalibrationOptions { NormalPercentile = percentile }, logger).FitPixel(validation);

        Assert.Equal(new ScoreCalibration(expected, 1, 100, ThresholdSource.NormalPercentile), calibration);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(CalibrationLog.NoAnomaliesInValidationId, entry.EventId.Id);
        Assert.Contains("no anomalous pixel samples", entry.Message);
    }
}
