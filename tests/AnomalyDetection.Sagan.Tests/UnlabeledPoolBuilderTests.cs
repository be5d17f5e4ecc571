using AnomalyDetection.Data;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Sagan.Tests;

public class UnlabeledPoolBuilderTests
{
    private static readonly ImageDataset Abnormal = SyntheticScans.GradientDataset("abnormal", 12, 16, 1, abnormal: true);
    private static readonly ImageDataset Normal = SyntheticScans.GradientDataset("normal", 12, 16, 2, abnormal: false);

    [Fact]
    public void Build_DefaultRatio_TakesTheFirstAbnormalThenTheFirstNormalImages()
    {
        var pool = UnlabeledPoolBuilder.Build(10, Abnormal, Normal);

        Assert.Equal(10, pool.Count);
        Assert.Equal(
            Abnormal.Take(6).Select(i => "abnormal/" + i.Name).Concat(Normal.Take(4).Select(i => "normal/" + i.Name)),
            pool.Select(i => i.Name));
        Assert.All(pool, i => Assert.Equal(AnomalyLabel.Unknown, i.Label));
        Assert.Same(Abnormal[0].Image, pool[0].Image);
        Assert.Same(Normal[3].Image, pool[9].Image);
    }

    [Theory]
    [InlineData(7, 0.6, 4)]  // ⌊4.2⌋
    [InlineData(1213, 0.6, 727)] // the pneumoniamnist reference run
    [InlineData(5, 0.0, 0)]
    [InlineData(5, 1.0, 5)]
    public void Build_AbnormalCount_IsSizeTimesRatioRoundedDown(int size, double ratio, int abnormal)
    {
        var candidates = SyntheticScans.GradientDataset("a", size, 16, 3, abnormal: true);
        var normal = SyntheticScans.GradientDataset("n", size, 16, 4, abnormal: false);

        var pool = UnlabeledPoolBuilder.Build(size, candidates, normal, ratio);

        Assert.Equal(abnormal, pool.Count(i => i.Name.StartsWith("a/", StringComparison.Ordinal)));
        Assert.Equal(size - abnormal, pool.Count(i => i.Name.StartsWith("n/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_TooFewAbnormalImages_ThrowsWithTheCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => UnlabeledPoolBuilder.Build(30, Abnormal, Normal));

        Assert.Contains("needs 18 abnormal images, but 'abnormal' has 12", error.Message, StringComparison.Ordinal);
    }
}
