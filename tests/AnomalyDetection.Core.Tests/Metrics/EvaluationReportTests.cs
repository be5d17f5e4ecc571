using System.Text.Json;
using AnomalyDetection.Metrics;

namespace AnomalyDetection.Core.Tests.Metrics;

public class EvaluationReportTests
{
    [Fact]
    public void Serialize_RoundTrip_GivesAnEqualReport()
    {
        var image = ImageLevelMetrics.Compute([0.9f, 0.8f, 0.3f, 0.2f, 0.85f], [true, false, true, false, false]);
        var pixels = new PixelScoreAccumulator();
        pixels.Add([0.9f, 0.1f, 0.7f, 0.2f], [true, false, true, false], 2, 2);
        var report = new EvaluationReport(image, pixels.ComputeMetrics());

        var json = JsonSerializer.Serialize(report);
        var back = JsonSerializer.Deserialize<EvaluationReport>(json);

        Assert.Equal(report, back);
        Assert.Contains("\"Aupro\":", json);
    }

    [Fact]
    public void Serialize_WithoutPixelMetrics_RoundTripsNull()
    {
        var report = new EvaluationReport(ImageLevelMetrics.Compute([0.9f, 0.1f], [true, false]), Pixel: null);
        var back = JsonSerializer.Deserialize<EvaluationReport>(JsonSerializer.Serialize(report));
        Assert.Equal(report, back);
        Assert.Null(back!.Pixel);
    }
}
