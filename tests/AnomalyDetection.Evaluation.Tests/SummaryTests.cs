namespace AnomalyDetection.Evaluation.Tests;

public sealed class SummaryTests
{
    [Fact]
    public void Of_ThreeValues_MeanAndSampleStandardDeviation()
    {
        // mean 0.7; squared deviations 0.01 + 0 + 0.01 over n − 1 = 2 → variance 0.01, sd 0.1.
        var summary = Summary.Of([0.6, 0.7, 0.8, null])!;

        Assert.Equal(3, summary.Count);
        Assert.Equal(0.7, summary.Mean, 12);
        Assert.Equal(0.1, summary.StandardDeviation!.Value, 12);
        Assert.Equal("0.700 ± 0.100", summary.Format());
    }

    [Fact]
    public void Of_OneValue_DeviationIsDash()
    {
        Assert.Equal("0.644 ± —", Summary.Of([0.6441])!.Format());
    }

    [Fact]
    public void Of_NoValues_IsNull()
    {
        Assert.Null(Summary.Of([null, null]));
    }
}
