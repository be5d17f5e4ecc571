using AnomalyDetection.Metrics;

namespace AnomalyDetection.Core.Tests.Metrics;

public class BinaryScoreMetricsTests
{
    // Seven samples with ties across classes. Distinct thresholds, descending, with the counts at or above each:
    //   0.9: TP 1, FP 0    0.8: TP 2, FP 1    0.5: TP 3, FP 3    0.2: TP 3, FP 4      (P = 3, N = 4)
    private static readonly float[] TiedScores = [0.9f, 0.8f, 0.8f, 0.5f, 0.5f, 0.5f, 0.2f];
    private static readonly bool[] TiedLabels = [true, true, false, true, false, false, false];

    [Fact]
    public void Auroc_TiesAcrossClasses_CountsTiedPairsAsHalf()
    {
        // ROC (0,0) (0,1/3) (1/4,2/3) (3/4,1) (1,1); trapezoids: 0 + 1/4·(1/3+2/3)/2 + 1/2·(2/3+1)/2 + 1/4·1
        //   = 1/8 + 5/12 + 1/4 = 19/24. Mann–Whitney: 0.9 beats 4 negatives; 0.8 ties one, beats 3 → 3.5;
        //   0.5 ties two, beats one → 2; (4 + 3.5 + 2) / 12 = 19/24.
        Assert.Equal(19.0 / 24, BinaryScoreMetrics.Auroc(TiedScores, TiedLabels), 12);
    }

    [Fact]
    public void SeparationAuroc_Groups_EqualsTheAurocOfTheLabelledSamples()
    {
        float[] anomalous = [.. TiedScores.Where((_, i) => TiedLabels[i])];
        float[] normal = [.. TiedScores.Where((_, i) => !TiedLabels[i])];

        Assert.Equal(19.0 / 24, BinaryScoreMetrics.SeparationAuroc(normal, anomalous), 12);
    }

    [Fact]
    public void SeparationAuroc_NonFiniteScores_CountAsTheMostAnomalous()
    {
        // NaN and ∞ both rank highest, so they tie with each other and beat everything else.
        // Pairs (anomalous, normal): (∞, 0.1) 1, (∞, NaN) ½, (0.5, 0.1) 1, (0.5, NaN) 0 → 2.5 / 4.
        Assert.Equal(0.625, BinaryScoreMetrics.SeparationAuroc([0.1f, float.NaN], [float.PositiveInfinity, 0.5f]), 12);
    }

    [Fact]
    public void AveragePrecision_TiesAcrossClasses_IsStepSumOverDistinctThresholds()
    {
        // Recall steps of 1/3 at 0.9, 0.8, 0.5 with precisions 1/1, 2/3, 3/6: 1/3 · (1 + 2/3 + 1/2) = 13/18.
        Assert.Equal(13.0 / 18, BinaryScoreMetrics.AveragePrecision(TiedScores, TiedLabels), 12);
    }

    [Fact]
    public void F1Max_TwoThresholdsTie_ReturnsTheHigherThreshold()
    {
        // F1 = 2TP / (TP + FP + P): 0.9 → 2/4; 0.8 → 4/6; 0.5 → 6/9; 0.2 → 6/10. 0.8 and 0.5 tie at 2/3.
        var best = BinaryScoreMetrics.F1Max(TiedScores, TiedLabels);
        Assert.Equal(2.0 / 3, best.Value, 12);
        Assert.Equal((double)0.8f, best.Threshold);
    }

    [Fact]
    public void RocCurve_TiedScores_OnePointPerDistinctScoreFromTheOrigin()
    {
        var curve = BinaryScoreMetrics.RocCurve(TiedScores, TiedLabels);
        RocPoint[] expected =
        [
            new(double.PositiveInfinity, 0, 0),
            new(0.9f, 0, 1.0 / 3),
            new(0.8f, 0.25, 2.0 / 3),
            new(0.5f, 0.75, 1),
            new(0.2f, 1, 1),
        ];
        Assert.Equal(expected, curve);
    }

    [Fact]
    public void PrecisionRecallCurve_TiedScores_StartsAtRecallZeroPrecisionOne()
    {
        var curve = BinaryScoreMetrics.PrecisionRecallCurve(TiedScores, TiedLabels);
        PrecisionRecallPoint[] expected =
        [
            new(double.PositiveInfinity, 1, 0),
            new(0.9f, 1, 1.0 / 3),
            new(0.8f, 2.0 / 3, 2.0 / 3),
            new(0.5f, 0.5, 1),
            new(0.2f, 3.0 / 7, 1),
        ];
        Assert.Equal(expected, curve);
    }

    [Fact]
    public void AllMetrics_PerfectRanking_AreOne()
    {
        float[] scores = [0.1f, 0.2f, 0.7f, 0.9f];
        bool[] labels = [false, false, true, true];
        Assert.Equal(1.0, BinaryScoreMetrics.Auroc(scores, labels));
        Assert.Equal(1.0, BinaryScoreMetrics.AveragePrecision(scores, labels));
        Assert.Equal(new OptimalThreshold(1.0, 0.7f), BinaryScoreMetrics.F1Max(scores, labels));
    }

    [Fact]
    public void AllMetrics_InvertedRanking_MatchHandComputed()
    {
        // Descending: 0.9 (N) TP0 FP1; 0.8 (N) TP0 FP2; 0.2 (A) TP1 FP2; 0.1 (A) TP2 FP2.
        // AUROC: no anomalous score beats a normal one → 0.
        // AP: recall 1/2 at precision 1/3, recall 1 at precision 1/2 → 1/6 + 1/4 = 5/12.
        // F1: 0.2 → 2/(1+2+2) = 0.4; 0.1 → 4/(2+2+2) = 2/3.
        float[] scores = [0.2f, 0.1f, 0.9f, 0.8f];
        bool[] labels = [true, true, false, false];
        Assert.Equal(0.0, BinaryScoreMetrics.Auroc(scores, labels));
        Assert.Equal(5.0 / 12, BinaryScoreMetrics.AveragePrecision(scores, labels), 12);
        var best = BinaryScoreMetrics.F1Max(scores, labels);
        Assert.Equal(2.0 / 3, best.Value, 12);
        Assert.Equal((double)0.1f, best.Threshold);
    }

    [Fact]
    public void AllMetrics_AllScoresEqual_GiveChanceLevel()
    {
        // One threshold, everything at or above it: AUROC 1/2, precision = prevalence 2/5 at recall 1,
        // F1 = 2·2 / (2 + 3 + 2) = 4/7.
        float[] scores = [0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
        bool[] labels = [true, false, false, true, false];
        Assert.Equal(0.5, BinaryScoreMetrics.Auroc(scores, labels));
        Assert.Equal(0.4, BinaryScoreMetrics.AveragePrecision(scores, labels), 12);
        Assert.Equal(new OptimalThreshold(4.0 / 7, 0.5), BinaryScoreMetrics.F1Max(scores, labels));
        Assert.Equal([new RocPoint(double.PositiveInfinity, 0, 0), new RocPoint(0.5, 1, 1)], BinaryScoreMetrics.RocCurve(scores, labels));
    }

    [Theory]
    [InlineData(false, "normal")]
    [InlineData(true, "anomalous")]
    public void AllMetrics_SingleClass_ThrowNamingTheClass(bool label, string className)
    {
        float[] scores = [0.1f, 0.5f, 0.9f];
        bool[] labels = [label, label, label];
        foreach (var metric in new Action[]
        {
            () => BinaryScoreMetrics.Auroc(scores, labels),
            () => BinaryScoreMetrics.AveragePrecision(scores, labels),
            () => BinaryScoreMetrics.F1Max(scores, labels),
            () => BinaryScoreMetrics.RocCurve(scores, labels),
            () => BinaryScoreMetrics.PrecisionRecallCurve(scores, labels),
            () => ImageLevelMetrics.Compute(scores, labels),
        })
        {
            var ex = Assert.Throws<ArgumentException>(metric);
            Assert.Equal("labels", ex.ParamName);
            Assert.Contains($"all 3 labels are {className}", ex.Message);
        }
    }

    [Fact]
    public void Auroc_InvalidInput_ThrowsNamingTheProblem()
    {
        Assert.Contains("2 scores and 3 labels", Assert.Throws<ArgumentException>(() => BinaryScoreMetrics.Auroc([0.1f, 0.2f], [true, false, true])).Message);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => BinaryScoreMetrics.Auroc([], [])).ParamName);
        Assert.Contains("index 1 is NaN", Assert.Throws<ArgumentException>(() => BinaryScoreMetrics.Auroc([0.1f, float.NaN], [true, false])).Message);
        Assert.Contains("at index 0 is", Assert.Throws<ArgumentException>(() => BinaryScoreMetrics.Auroc([float.PositiveInfinity, 0.2f], [true, false])).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AllMetrics_RandomTiedScores_MatchBruteForceDefinitions(int seed)
    {
        var random = new Random(seed);
        var n = 60 + random.Next(40);
        var scores = new float[n];
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < 0.3;

            // One decimal place makes ties common, within and across classes.
            scores[i] = MathF.Round((float)(random.NextDouble() + (labels[i] ? 0.4 : 0)), 1);
        }

        labels[0] = true;
        labels[1] = false;

        // AUROC = P(anomalous > normal) + P(tie) / 2 over all pairs.
        double pairs = 0, wins = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        // AP = mean over anomalous samples of the precision at their own score; F1 by counting at each score.
        double precisionSum = 0, bestF1 = 0;
        var positives = labels.Count(l => l);
        for (var i = 0; i < n; i++)
        {
            int tp = 0, flagged = 0;
            for (var j = 0; j < n; j++)
            {
                if (scores[j] >= scores[i])
                {
                    flagged++;
                    tp += labels[j] ? 1 : 0;
                }
            }

            if (labels[i])
            {
                precisionSum += (double)tp / flagged;
            }

            bestF1 = Math.Max(bestF1, 2.0 * tp / (flagged + positives));
        }

        var metrics = ImageLevelMetrics.Compute(scores, labels);
        Assert.Equal(wins / pairs, metrics.Auroc, 12);
        Assert.Equal(precisionSum / positives, metrics.AveragePrecision, 12);
        Assert.Equal(bestF1, metrics.F1Max, 12);
        Assert.Equal(positives, metrics.AnomalousCount);
        Assert.Equal(n - positives, metrics.NormalCount);
        Assert.Equal(BinaryScoreMetrics.Auroc(scores, labels), metrics.Auroc);
        Assert.Equal(BinaryScoreMetrics.F1Max(scores, labels).Threshold, metrics.F1MaxThreshold);
    }
}
