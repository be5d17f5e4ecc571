using System.Text.Json;
using AnomalyDetection.Calibration;

namespace AnomalyDetection.Core.Tests.Calibration;

public class NormalMapBaselineTests
{
    private static readonly NormalMapBaseline TwoByTwo = new(2, 2, [0.1f, 0.5f, 0.3f, 0.2f]);

    [Fact]
    public void Subtract_KeepsWhatExceedsTheBaseline_ClampsTheRestAtZero_AndKeepsNaN()
    {
        var result = TwoByTwo.Subtract([0.4f, 0.2f, float.NaN, 0.2f]);

        Assert.Equal([0.4f - 0.1f, 0f, float.NaN, 0f], result);
    }

    [Fact]
    public void Subtract_MapOfAnotherSize_NamesBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => TwoByTwo.Subtract([1f, 2f, 3f]));

        Assert.StartsWith("The map has 3 pixels, but the normal baseline is 2×2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongValueCount_SaysHowManyAreNeeded()
    {
        var error = Assert.Throws<ArgumentException>(() => new NormalMapBaseline(2, 3, [1f, 2f]));

        Assert.StartsWith("A 2×3 baseline needs 6 values, but got 2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonFiniteValue_NamesItsIndex()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NormalMapBaseline(1, 2, [0f, float.PositiveInfinity]));

        Assert.StartsWith("Baseline value 1 must be finite.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_InACalibration_RoundTripsToAnEqualOne()
    {
        var calibration = new DetectorCalibration(new ScoreCalibration(0.42, 0.1, 0.9, ThresholdSource.Manual), MapBaseline: TwoByTwo);

        var back = JsonSerializer.Deserialize<DetectorCalibration>(JsonSerializer.Serialize(calibration));

        Assert.Equal(calibration, back);
        Assert.NotEqual(calibration, calibration with { MapBaseline = new NormalMapBaseline(2, 2, [0.1f, 0.5f, 0.3f, 0.25f]) });
    }
}
