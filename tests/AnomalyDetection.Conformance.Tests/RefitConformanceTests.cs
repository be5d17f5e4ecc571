namespace AnomalyDetection.Conformance.Tests;

/// <summary>
/// <c>Fit</c> on a detector that was fitted before starts afresh from the seed's initial weights (issue 16): whatever
/// the first training learnt, even on other data, the second gives the model a first <c>Fit</c> on a new detector gives.
/// </summary>
public class RefitConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_Twice_GivesTheModelOfOneFitOnANewDetector(string name)
    {
        var c = ConformanceCases.Get(name);
        var data = ConformanceCases.Data(c);
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 8).Select(i => i.LoadImage()).ToList();
        var refitted = c.Create(9);
        refitted.Fit(ConformanceCases.Data(c, seed: 21));
        var afterFirstFit = refitted.PredictBatch(images).Select(p => p.Score).ToArray();

        refitted.Fit(data);
        var fresh = c.Create(9);
        fresh.Fit(data);

        var expected = fresh.PredictBatch(images);
        var actual = refitted.PredictBatch(images);
        Assert.Equal(expected.Select(p => p.Score), actual.Select(p => p.Score));
        Assert.Equal(expected.Select(p => p.Map?.ToArray()), actual.Select(p => p.Map?.ToArray()));
        Assert.Equal(fresh.Calibration, refitted.Calibration);

        // The first training left a different model, so the comparison above is not between two untouched copies.
        Assert.NotEqual(afterFirstFit, actual.Select(p => p.Score).ToArray());
    }
}
