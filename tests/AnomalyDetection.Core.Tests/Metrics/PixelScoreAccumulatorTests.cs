using AnomalyDetection.Metrics;

namespace AnomalyDetection.Core.Tests.Metrics;

public class PixelScoreAccumulatorTests
{
    [Fact]
    public void ComputeMetrics_TwoRegionsOneImage_MatchHandComputed()
    {
        // 4 × 4 map. Region A = {(0,0), (1,1)} (diagonal, so one region), region B = {(3,3)}; 13 normal pixels.
        //   A: 0.9, 0.5   B: 0.7   normals: 0.8, 0.6 and eleven at 0.1
        // Descending thresholds (TP, FP, PRO = mean of per-region overlap):
        //   0.9: 1, 0, (1/2 + 0)/2 = 1/4    0.8: 1, 1, 1/4    0.7: 2, 1, (1/2 + 1)/2 = 3/4
        //   0.6: 2, 2, 3/4                  0.5: 3, 2, 1      0.1: 3, 13, 1
        // AUROC: 0.9 beats 13 normals, 0.7 beats 12, 0.5 beats 11 → 36/39 = 12/13.
        // AP: recall steps of 1/3 at precisions 1, 2/3, 3/5 → (1 + 2/3 + 3/5)/3 = 34/45.
        // Dice = 2TP/(TP + FP + 3): 1/2, 2/5, 2/3, 4/7, 3/4, 6/19 → best 3/4 at 0.5.
        // PRO curve (FPR, PRO): (0,0) (0,1/4) (1/13,1/4) (1/13,3/4) (2/13,3/4) (2/13,1) (1,1). Area up to 0.3:
        //   1/13 · 1/4 + 1/13 · 3/4 + (0.3 − 2/13) · 1 = 0.3 − 1/13; divided by 0.3: 1 − 1/3.9.
        var map = new float[16];
        Array.Fill(map, 0.1f);
        var mask = new bool[16];
        (map[0], mask[0]) = (0.9f, true);
        (map[5], mask[5]) = (0.5f, true);
        (map[15], mask[15]) = (0.7f, true);
        map[2] = 0.8f;
        map[8] = 0.6f;

        var accumulator = new PixelScoreAccumulator();
        accumulator.Add(map, mask, 4, 4);
        var metrics = accumulator.ComputeMetrics();

        Assert.Equal(12.0 / 13, metrics.Auroc, 12);
        Assert.Equal(34.0 / 45, metrics.AveragePrecision, 12);
        Assert.Equal(0.75, metrics.BestDice, 12);
        Assert.Equal((double)0.5f, metrics.BestDiceThreshold);
        Assert.Equal(1 - (1 / 3.9), metrics.Aupro, 12);
        Assert.Equal(0.3, metrics.AuproFprLimit);
        Assert.Equal(2, metrics.RegionCount);
        Assert.Equal(16, metrics.PixelCount);
        Assert.Equal(3, metrics.AnomalousPixelCount);
        Assert.Equal(1, metrics.ImageCount);
        Assert.Null(metrics.BinCount);
    }

    [Fact]
    public void Aupro_LimitInsideASlopedSegment_InterpolatesLinearly()
    {
        // Image 1 (2 × 2): region {0.9}; normals 0.3, 0.2, 0.2.  Image 2 (1 × 4): region {0.8, 0.3}; normals 0.3, 0.1.
        // Two regions, five normals. Thresholds (FPR, PRO): 0.9: (0, 1/2); 0.8: (0, 3/4); 0.3: (2/5, 1) since a region
        // pixel and two normals tie; 0.2: (4/5, 1); 0.1: (1, 1).
        // The segment (0, 3/4) → (0.4, 1) crosses 0.3 at PRO 3/4 + 1/4 · 0.3/0.4 = 0.9375; area 0.3 · (0.75 + 0.9375)/2,
        // so AUPRO = (0.75 + 0.9375)/2 = 0.84375.
        var accumulator = new PixelScoreAccumulator();
        accumulator.Add([0.9f, 0.3f, 0.2f, 0.2f], [true, false, false, false], 2, 2);
        accumulator.Add([0.8f, 0.3f, 0.3f, 0.1f], [true, true, false, false], 1, 4);
        var metrics = accumulator.ComputeMetrics();

        Assert.Equal(0.84375, metrics.Aupro, 12);
        Assert.Equal(2, metrics.RegionCount);
        Assert.Equal(2, metrics.ImageCount);
    }

    [Fact]
    public void AddNormal_EqualsAddWithAnEmptyMask()
    {
        var withMask = new PixelScoreAccumulator();
        var withoutMask = new PixelScoreAccumulator();
        foreach (var accumulator in new[] { withMask, withoutMask })
        {
            accumulator.Add([0.9f, 0.4f, 0.2f, 0.6f], [true, false, false, true], 2, 2);
        }

        withMask.Add([0.5f, 0.7f, 0.1f], new bool[3], 1, 3);
        withoutMask.AddNormal([0.5f, 0.7f, 0.1f]);
        Assert.Equal(withMask.ComputeMetrics(), withoutMask.ComputeMetrics());
    }

    [Fact]
    public void ComputeMetrics_ScoresOnTheBinGrid_BinnedEqualsExact()
    {
        // With 8 bins over [0, 1] (width 1/8) the scores k/4 land in distinct bins (1.0 joins the top bin alone), so
        // binning merges no distinct scores and every count-based metric is unchanged.
        var (maps, masks) = GridImages();
        var exact = new PixelScoreAccumulator();
        var binned = new PixelScoreAccumulator(new PixelMetricsOptions { BinCount = 8, ExactPixelLimit = 0 });
        for (var i = 0; i < maps.Length; i++)
        {
            exact.Add(maps[i], masks[i], 3, 3);
            binned.Add(maps[i], masks[i], 3, 3);
        }

        Assert.True(exact.IsExact);
        Assert.False(binned.IsExact);
        var e = exact.ComputeMetrics();
        var b = binned.ComputeMetrics();
        Assert.Equal(8, b.BinCount);
        Assert.Equal(e.Auroc, b.Auroc, 12);
        Assert.Equal(e.AveragePrecision, b.AveragePrecision, 12);
        Assert.Equal(e.BestDice, b.BestDice, 12);
        Assert.Equal(e.Aupro, b.Aupro, 12);
    }

    [Theory]
    [InlineData(1000, 0, 5e-4, 3e-3, 1e-2)]
    [InlineData(PixelMetricsOptions.DefaultBinCount, 0, 1e-4, 5e-4, 1e-3)]
    [InlineData(1000, 2000, 5e-4, 3e-3, 1e-2)]
    public void ComputeMetrics_Binned_WithinToleranceOfExact(int binCount, int exactPixelLimit, double rankTolerance, double apTolerance, double diceTolerance)
    {
        // Stated tolerances on ~6,000 pixels: AUROC and AUPRO move least (ties inside a bin count half), AP more
        // (ties blur the top of the ranking), best Dice most (a maximum over thresholds that bins make coarser).
        // The third case starts exact and switches to bins after 2,000 pixels.
        var exact = new PixelScoreAccumulator();
        var binned = new PixelScoreAccumulator(new PixelMetricsOptions { BinCount = binCount, ExactPixelLimit = exactPixelLimit });
        foreach (var (map, mask) in SyntheticImages(seed: 7, count: 24, size: 16))
        {
            exact.Add(map, mask, 16, 16);
            binned.Add(map, mask, 16, 16);
        }

        var e = exact.ComputeMetrics();
        var b = binned.ComputeMetrics();
        Assert.Null(e.BinCount);
        Assert.Equal(binCount, b.BinCount);
        Assert.Equal(e.Auroc, b.Auroc, rankTolerance);
        Assert.Equal(e.Aupro, b.Aupro, rankTolerance);
        Assert.Equal(e.AveragePrecision, b.AveragePrecision, apTolerance);
        Assert.Equal(e.BestDice, b.BestDice, diceTolerance);
        Assert.Equal(e.RegionCount, b.RegionCount);
        Assert.Equal(e.AnomalousPixelCount, b.AnomalousPixelCount);
    }

    [Fact]
    public void ComputeMetrics_BinsStartOnAConstantImageThenGrowBothWays_StayWithinTolerance()
    {
        // The first map is constant, so the bins start with no scale; later maps reach far below and above it,
        // forcing growth in both directions.
        var exact = new PixelScoreAccumulator();
        var binned = new PixelScoreAccumulator(new PixelMetricsOptions { BinCount = 1000, ExactPixelLimit = 0 });
        var constant = new float[256];
        Array.Fill(constant, 0.5f);
        exact.AddNormal(constant);
        binned.AddNormal(constant);
        var shift = 0f;
        foreach (var (map, mask) in SyntheticImages(seed: 11, count: 16, size: 16))
        {
            // Alternate the offset so successive images extend the range down, then up.
            shift = shift <= 0 ? -shift + 1 : -shift;
            for (var i = 0; i < map.Length; i++)
            {
                map[i] += shift;
            }

            exact.Add(map, mask, 16, 16);
            binned.Add(map, mask, 16, 16);
        }

        var e = exact.ComputeMetrics();
        var b = binned.ComputeMetrics();
        Assert.Equal(e.Auroc, b.Auroc, 5e-3);
        Assert.Equal(e.AveragePrecision, b.AveragePrecision, 5e-3);
        Assert.Equal(e.Aupro, b.Aupro, 5e-3);
        Assert.Equal(exact.MinimumScore, binned.MinimumScore);
        Assert.Equal(exact.MaximumScore, binned.MaximumScore);
    }

    [Fact]
    public void ComputeMetrics_NoAnomalousPixels_Throws()
    {
        var accumulator = new PixelScoreAccumulator();
        accumulator.AddNormal([0.1f, 0.2f]);
        var ex = Assert.Throws<InvalidOperationException>(accumulator.ComputeMetrics);
        Assert.Contains("2 normal and 0 anomalous", ex.Message);
    }

    [Fact]
    public void Add_InvalidInput_ThrowsNamingTheProblem()
    {
        var accumulator = new PixelScoreAccumulator();
        Assert.Contains("2 × 3 needs 6 scores, but got 5", Assert.Throws<ArgumentException>(() => accumulator.Add(new float[5], new bool[6], 2, 3)).Message);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => accumulator.Add(new float[6], new bool[4], 2, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add([], [], 0, 3));
        Assert.Contains("index 2 is NaN", Assert.Throws<ArgumentException>(() => accumulator.Add([0, 1, float.NaN, 2], new bool[4], 2, 2)).Message);
        Assert.Equal(0, accumulator.ImageCount);
    }

    [Theory]
    [InlineData(7, 100, 0.3)]
    [InlineData(0, 100, 0.3)]
    [InlineData(100, -1, 0.3)]
    [InlineData(100, 100, 0)]
    [InlineData(100, 100, 1.5)]
    public void Constructor_OptionOutOfRange_Throws(int binCount, int exactPixelLimit, double fprLimit)
    {
        var options = new PixelMetricsOptions { BinCount = binCount, ExactPixelLimit = exactPixelLimit, AuproFprLimit = fprLimit };
        Assert.Throws<ArgumentOutOfRangeException>(() => new PixelScoreAccumulator(options));
    }

    // Four 3 × 3 maps with scores k/4 (k = 0..4) and masks that do not follow the scores exactly.
    private static (float[][] Maps, bool[][] Masks) GridImages()
    {
        var random = new Random(3);
        var maps = new float[4][];
        var masks = new bool[4][];
        for (var i = 0; i < maps.Length; i++)
        {
            maps[i] = new float[9];
            masks[i] = new bool[9];
            for (var p = 0; p < 9; p++)
            {
                maps[i][p] = random.Next(5) / 4f;
                masks[i][p] = random.NextDouble() < (0.1 + (0.2 * maps[i][p]));
            }
        }

        return (maps, masks);
    }

    // Square maps of uniform noise with one or two rectangular anomalies scored higher on average; a third of the
    // images are normal.
    internal static IEnumerable<(float[] Map, bool[] Mask)> SyntheticImages(int seed, int count, int size)
    {
        var random = new Random(seed);
        for (var image = 0; image < count; image++)
        {
            var map = new float[size * size];
            var mask = new bool[size * size];
            var regions = image % 3 == 0 ? 0 : 1 + random.Next(2);
            for (var r = 0; r < regions; r++)
            {
                int top = random.Next(size - 4), left = random.Next(size - 4), height = 2 + random.Next(3), width = 2 + random.Next(3);
                for (var y = top; y < top + height; y++)
                {
                    for (var x = left; x < left + width; x++)
                    {
                        mask[(y * size) + x] = true;
                    }
                }
            }

            for (var p = 0; p < map.Length; p++)
            {
                map[p] = (float)(random.NextDouble() + (mask[p] ? 0.6 * random.NextDouble() : 0));
            }

            yield return (map, mask);
        }
    }
}
