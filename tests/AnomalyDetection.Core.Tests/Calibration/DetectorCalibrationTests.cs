using System.Text.Json;
using AnomalyDetection.Calibration;

namespace AnomalyDetection.Core.Tests.Calibration;

public class DetectorCalibrationTests
{
    [Theory]
    [InlineData(PValueMethod.Empirical, "empirical")]
    [InlineData(PValueMethod.Gaussian, "gaussian")]
    [InlineData(PValueMethod.LogNormal, "logNormal")]
    [InlineData(PValueMethod.Gamma, "gamma")]
    public void Serialize_RoundTrip_GivesAnEqualCalibration(PValueMethod method, string discriminator)
    {
        var calibration = new DetectorCalibration(
            new ScoreCalibration(0.42, 0.1, 0.9, ThresholdSource.F1Max),
            new ScoreCalibration(0.3, 0, 1.5, ThresholdSource.NormalPercentile),
            PValueModel.Fit(method, [0.2f, 0.3f, 0.35f, 0.5f, 0.8f]));

        var json = JsonSerializer.Serialize(calibration);
        var back = JsonSerializer.Deserialize<DetectorCalibration>(json);

        Assert.Equal(calibration, back);
        Assert.Contains($"\"method\":\"{discriminator}\"", json);
        Assert.Contains("\"Source\":\"NormalPercentile\"", json);
        Assert.Equal(calibration.ImagePValues!.PValue(0.33), back!.ImagePValues!.PValue(0.33));
    }

    [Fact]
    public void Serialize_WithoutOptionalParts_RoundTripsNulls()
    {
        var calibration = new DetectorCalibration(new ScoreCalibration(0.42, 0.1, 0.9, ThresholdSource.Manual));
        var back = JsonSerializer.Deserialize<DetectorCalibration>(JsonSerializer.Serialize(calibration));
        Assert.Equal(calibration, back);
    }
}
