using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>The normal-map baseline through the base class, on the template detector, whose training does not depend
/// on calibration settings: the same seed with and without the baseline gives the same weights.</summary>
public class NormalMapBaselineConformanceTests
{
    private static TemplateDetectorOptions Options(bool subtract) => new()
    {
        ImageSize = 16, BatchSize = 4, Seed = 3, Calibration = { SubtractNormalMap = subtract },
    };

    [Fact]
    public async Task Fit_WithSubtractNormalMap_StoresTheHeldOutNormalsMeanMap_AndSubtractsItFromEveryMap()
    {
        var training = new TrainingData(SyntheticScans.Normal("train", 20, seed: 5));
        var raw = new TemplateDetector(Options(subtract: false));
        raw.Fit(training);
        var subtracted = new TemplateDetector(Options(subtract: true));
        subtracted.Fit(training);

        var heldOut = ValidationSplit.Carve(training.Normal, raw.Options.ValidationFraction, raw.Options.Seed).Validation;
        var heldOutMaps = raw.PredictBatch(heldOut.Select(i => i.LoadImage()).ToList()).Select(p => p.Map!.ToArray()).ToList();
        var expectedBaseline = Enumerable.Range(0, heldOutMaps[0].Length).Select(p => (float)(heldOutMaps.Sum(m => (double)m[p]) / heldOutMaps.Count)).ToArray();
        Assert.Null(raw.Calibration.MapBaseline);
        Assert.Equal(expectedBaseline, subtracted.Calibration.MapBaseline!.Values);

        var test = SyntheticScans.Test(2, 2, seed: 9).Select(i => i.LoadImage()).ToList();
        var rawPredictions = raw.PredictBatch(test);
        var predictions = subtracted.PredictBatch(test);
        for (var i = 0; i < test.Count; i++)
        {
            Assert.Equal(rawPredictions[i].Score, predictions[i].Score);
            Assert.Equal(rawPredictions[i].Map!.ToArray().Select((v, p) => Math.Max(0, v - expectedBaseline[p])), predictions[i].Map!.ToArray());
        }

        Assert.Contains(predictions, p => p.Map!.ToArray().Any(v => v > 0));

        using var file = new MemoryStream();
        await subtracted.SaveAsync(file);
        file.Position = 0;
        var loaded = await TemplateDetector.LoadAsync(file);
        Assert.Equal(subtracted.Calibration, loaded.Calibration);
        Assert.Equal(predictions.Select(p => p.Map!.ToArray()), loaded.PredictBatch(test).Select(p => p.Map!.ToArray()));
    }
}
