using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Image scores taken from the top of the returned (normal-subtracted) map, through the base class, on the
/// template detector, whose training does not depend on calibration settings.</summary>
public class MapScoreTopFractionConformanceTests
{
    private static TemplateDetectorOptions Options(double? fraction) => new()
    {
        ImageSize = 16, BatchSize = 4, Seed = 3, Calibration = { SubtractNormalMap = true, MapScoreTopFraction = fraction },
    };

    [Fact]
    public async Task Fit_WithMapScoreTopFraction_ScoresTheTopOfTheSubtractedMap_ThroughSaveAndLoad()
    {
        var training = new TrainingData(SyntheticScans.Normal("train", 20, seed: 5));
        var own = new TemplateDetector(Options(null));
        own.Fit(training);
        var byMap = new TemplateDetector(Options(0.25));
        byMap.Fit(training);

        var test = SyntheticScans.Test(3, 3, seed: 9).Select(i => i.LoadImage()).ToList();
        var ownPredictions = own.PredictBatch(test);
        var predictions = byMap.PredictBatch(test);
        for (var i = 0; i < test.Count; i++)
        {
            var map = predictions[i].Map!.ToArray();
            Assert.Equal(ownPredictions[i].Map!.ToArray(), map); // only the score changes
            var top = map.OrderDescending().Take(map.Length / 4).Average(v => (double)v);
            Assert.Equal(top, predictions[i].Score, 1e-6);
            Assert.Equal(predictions[i].Score >= byMap.Calibration.Image.Threshold, predictions[i].IsAnomalous);
        }

        Assert.NotEqual(ownPredictions.Select(p => p.Score), predictions.Select(p => p.Score));
        Assert.NotEqual(own.Calibration.Image.Threshold, byMap.Calibration.Image.Threshold); // fitted on the map scores

        using var file = new MemoryStream();
        await byMap.SaveAsync(file);
        file.Position = 0;
        var loaded = await TemplateDetector.LoadAsync(file);
        Assert.Equal(predictions.Select(p => p.Score), loaded.PredictBatch(test).Select(p => p.Score));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_MapScoreTopFractionOutsideZeroToOne_NamesTheOptionAndValue(double fraction)
    {
        var problems = Options(fraction).Validate();

        Assert.Contains(problems, p => p.StartsWith("Calibration.MapScoreTopFraction must be null or in (0, 1] (was ", StringComparison.Ordinal));
    }
}
