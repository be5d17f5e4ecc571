using AnomalyDetection.Metrics;

namespace AnomalyDetection.Core.Tests.Metrics;

public class PixelHistogramTests
{
    [Fact]
    public void Add_ScoresOutsideTheRange_GrowUpThenDownMergingBinsPairwise()
    {
        var histogram = new PixelHistogram(binCount: 4);

        // [0, 1] in 4 bins of 0.25: 0 → bin 0; 1 (the top edge) → bin 3. Score 1 is anomalous, in a region of 2 pixels.
        histogram.Add([0f, 1f], [-1, 0], [2], 0, 1);
        AssertSweep(histogram, [0.75, 0], tp: [1, 1], fp: [0, 1], overlap: [0.5, 0.5]);

        // 2 > 1: the width doubles to 0.5 over [0, 2); old bins (0,1) → 0 and (2,3) → 1; 2 clamps into bin 3.
        histogram.Add([2f], [-1], [], 2, 2);
        AssertSweep(histogram, [1.5, 0.5, 0], tp: [0, 1, 1], fp: [1, 1, 2], overlap: [0, 0.5, 0.5]);

        // -1 < 0: the width doubles to 1 keeping the top edge, over [-2, 2); old bin i → (4 + i) / 2, so bins 0 and 1
        // merge into 2 and bin 3 stays 3; -1 lands in bin 1.
        histogram.Add([-1f], [-1], [], -1, -1);
        AssertSweep(histogram, [1, 0, -1], tp: [0, 1, 1], fp: [1, 2, 3], overlap: [0, 0.5, 0.5]);
    }

    [Fact]
    public void Add_ConstantFirstBatch_GrowsUntilLaterScoresSeparate()
    {
        var histogram = new PixelHistogram(binCount: 100);
        histogram.Add([0.5f, 0.5f], [-1, -1], [], 0.5, 0.5);
        histogram.Add([1.5f], [-1], [], 1.5, 1.5);

        var sweep = histogram.ToSweep(regionCount: 0);
        Assert.Equal([1, 3], sweep.FalsePositives);

        // The scores span 1, so the bins end up narrower than 4 / 100: the two thresholds (bin edges just below each
        // score) lie within that of the scores they stand for.
        Assert.InRange(sweep.Thresholds[0], 1.5 - 0.04, 1.5);
        Assert.InRange(sweep.Thresholds[1], 0.5 - 0.04, 0.5);
    }

    private static void AssertSweep(PixelHistogram histogram, double[] thresholds, long[] tp, long[] fp, double[] overlap)
    {
        var sweep = histogram.ToSweep(regionCount: 1);
        Assert.Equal(thresholds, sweep.Thresholds);
        Assert.Equal(tp, sweep.TruePositives);
        Assert.Equal(fp, sweep.FalsePositives);
        Assert.Equal(overlap, sweep.RegionOverlap);
    }
}
