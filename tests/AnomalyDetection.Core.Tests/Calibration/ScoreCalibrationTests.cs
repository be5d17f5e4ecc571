using AnomalyDetection.Calibration;

namespace AnomalyDetection.Core.Tests.Calibration;

public class ScoreCalibrationTests
{
    // Threshold 0.3 over the validation range [0.1, 0.5] (width 0.4): normalised = (s − 0.3) / 0.4 + 0.5.
    private static readonly ScoreCalibration Calibration = new(0.3, 0.1, 0.5, ThresholdSource.F1Max);

    [Theory]
    [InlineData(0.3, 0.5)]
    [InlineData(0.4, 0.75)]
    [InlineData(0.2, 0.25)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.1, 0.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(-3.0, 0.0)]
    public void Normalize_MapsThresholdToHalfAndClampsToUnitInterval(double score, double expected) =>
        Assert.Equal(expected, Calibration.Normalize(score), 12);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteScore_IsAnomalousAndNormalisesToOne(double score)
    {
        Assert.True(Calibration.IsAnomalous(score));
        Assert.Equal(1.0, Calibration.Normalize(score));
    }

    [Fact]
    public void Normalize_ThresholdAnywhere_MapsToExactlyHalf()
    {
        foreach (var threshold in new[] { 0.123456789, -7.5, 1e6, 0.1 })
        {
            var calibration = new ScoreCalibration(threshold, -10, 3.7, ThresholdSource.Manual);
            Assert.Equal(0.5, calibration.Normalize(threshold));
            var normalised = new float[1];
            calibration.Normalize([(float)threshold], normalised);
            Assert.Equal(0.5f, normalised[0]);
        }
    }

    [Fact]
    public void Normalize_Span_MatchesScalarInPlace()
    {
        float[] map = [0.3f, 0.4f, 0.2f, 0.5f, 0.1f, 2f, -3f, 0.35f];
        var expected = map.Select(s => (float)Calibration.Normalize(s)).ToArray();
        Calibration.Normalize(map, map);
        for (var i = 0; i < map.Length; i++)
        {
            Assert.Equal(expected[i], map[i], 6);
        }
    }

    [Fact]
    public void IsAnomalous_ScoreAtThreshold_IsAnomalous()
    {
        Assert.True(Calibration.IsAnomalous(0.3));
        Assert.False(Calibration.IsAnomalous(Math.BitDecrement(0.3)));
    }

    [Fact]
    public void WithThreshold_KeepsRangeAndMapsNewThresholdToHalf()
    {
        var manual = Calibration.WithThreshold(0.45);
        Assert.Equal(new ScoreCalibration(0.45, 0.1, 0.5, ThresholdSource.Manual), manual);
        Assert.Equal(0.5, manual.Normalize(0.45));
        Assert.Equal(0.3, Calibration.Threshold);
    }

    [Theory]
    [InlineData(0.5, 0.3)]
    [InlineData(0.75, 0.2)]
    [InlineData(0.25, 0.4)]
    [InlineData(1.0, 0.1)]
    public void WithSensitivity_MovesThresholdToTheScoreNormalisedToOneMinusSensitivity(double sensitivity, double threshold)
    {
        // 0.75 → the score normalised to 0.25 by the current calibration: 0.3 + (0.5 − 0.75) · 0.4 = 0.2.
        var adjusted = Calibration.WithSensitivity(sensitivity);
        Assert.Equal(threshold, adjusted.Threshold, 12);
        Assert.Equal(1 - sensitivity, Calibration.Normalize(adjusted.Threshold), 12);
        Assert.Equal((0.1, 0.5), (adjusted.Minimum, adjusted.Maximum));
    }

    [Fact]
    public void Constructor_InvalidParts_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreCalibration(0.3, 0.5, 0.5, ThresholdSource.F1Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreCalibration(double.NaN, 0.1, 0.5, ThresholdSource.F1Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreCalibration(0.3, double.NegativeInfinity, 0.5, ThresholdSource.F1Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.WithSensitivity(1.5));
        Assert.Throws<ArgumentException>(() => Calibration.Normalize([1f, 2f], new float[1]));
    }
}
