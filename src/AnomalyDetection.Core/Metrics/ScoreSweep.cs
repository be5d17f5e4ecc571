using System.Diagnostics;

namespace AnomalyDetection.Metrics;

/// <summary>
/// Confusion counts at every distinct threshold of a set of scored samples, in descending threshold order:
/// entry <c>k</c> counts the samples whose score is at or above <c>Thresholds[k]</c>. Every threshold metric
/// (ROC, PR, F1, Dice, PRO) is a pass over this table, whether it came from exact scores or from histogram bins.
/// </summary>
internal sealed class ScoreSweep
{
    /// <param name="thresholds">Distinct thresholds, strictly descending.</param>
    /// <param name="truePositives">Cumulative anomalous samples at or above each threshold.</param>
    /// <param name="falsePositives">Cumulative normal samples at or above each threshold.</param>
    /// <param name="regionOverlap">Cumulative sum, over anomalous samples at or above each threshold, of
    /// 1 / (size of the sample's region), or null when regions were not tracked.</param>
    /// <param name="regionCount">The number of anomalous regions behind <paramref name="regionOverlap"/>.</param>
    public ScoreSweep(double[] thresholds, long[] truePositives, long[] falsePositives, double[]? regionOverlap, int regionCount)
    {
        Debug.Assert(thresholds.Length == truePositives.Length && thresholds.Length == falsePositives.Length);
        Debug.Assert(regionOverlap is null || regionOverlap.Length == thresholds.Length);
        Thresholds = thresholds;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        RegionOverlap = regionOverlap;
        RegionCount = regionCount;
        Positives = truePositives.Length == 0 ? 0 : truePositives[^1];
        Negatives = falsePositives.Length == 0 ? 0 : falsePositives[^1];
    }

    public double[] Thresholds { get; }

    public long[] TruePositives { get; }

    public long[] FalsePositives { get; }

    public double[]? RegionOverlap { get; }

    public int RegionCount { get; }

    /// <summary>The number of anomalous samples.</summary>
    public long Positives { get; }

    /// <summary>The number of normal samples.</summary>
    public long Negatives { get; }

    /// <summary>Builds the sweep of per-sample scores and labels (<c>true</c> = anomalous).</summary>
    public static ScoreSweep FromScores(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var keys = scores.ToArray();
        var isAnomalous = labels.ToArray();
        Array.Sort(keys, isAnomalous);

        var thresholds = new List<double>();
        var truePositives = new List<long>();
        var falsePositives = new List<long>();
        long tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0; i--)
        {
            if (isAnomalous[i])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            // Tied scores form one point: emit only after the last sample of a run of equal scores.
            if (i == 0 || keys[i - 1] != keys[i])
            {
                thresholds.Add(keys[i]);
                truePositives.Add(tp);
                falsePositives.Add(fp);
            }
        }

        return new ScoreSweep([.. thresholds], [.. truePositives], [.. falsePositives], regionOverlap: null, regionCount: 0);
    }

    /// <summary>Throws unless both classes are present, naming the metric that needs them.</summary>
    /// <exception cref="InvalidOperationException">One class is missing.</exception>
    public void RequireBothClasses(string metric)
    {
        if (Positives == 0 || Negatives == 0)
        {
            throw new InvalidOperationException(
                $"{metric} needs both normal and anomalous samples, but got {Negatives} normal and {Positives} anomalous.");
        }
    }

    /// <summary>The area under the ROC curve by the trapezoid rule, which counts a tied (anomalous, normal) pair
    /// as half a correct ordering (the Mann–Whitney convention).</summary>
    public double Auroc()
    {
        RequireBothClasses("AUROC");
        double twiceArea = 0;
        long previousTp = 0, previousFp = 0;
        for (var k = 0; k < Thresholds.Length; k++)
        {
            twiceArea += (double)(FalsePositives[k] - previousFp) * (TruePositives[k] + previousTp);
            previousTp = TruePositives[k];
            previousFp = FalsePositives[k];
        }

        return twiceArea / (2.0 * Positives * Negatives);
    }

    /// <summary>Average precision as the step sum Σ (R_k − R_{k−1}) · P_k over descending thresholds, R_0 = 0
    /// (no interpolation between points).</summary>
    public double AveragePrecision()
    {
        RequireBothClasses("Average precision");
        double sum = 0;
        long previousTp = 0;
        for (var k = 0; k < Thresholds.Length; k++)
        {
            var tp = TruePositives[k];
            if (tp != previousTp)
            {
                sum += (tp - previousTp) * ((double)tp / (tp + FalsePositives[k]));
                previousTp = tp;
            }
        }

        return sum / Positives;
    }

    /// <summary>The largest F1 (equivalently the dataset-level Dice, 2·TP / (2·TP + FP + FN)) over all thresholds,
    /// with the highest threshold that attains it.</summary>
    public OptimalThreshold BestF1()
    {
        RequireBothClasses("F1-max");
        var best = -1.0;
        var bestThreshold = double.NaN;
        for (var k = 0; k < Thresholds.Length; k++)
        {
            // 2TP / (2TP + FP + FN) with FN = P − TP.
            var f1 = 2.0 * TruePositives[k] / (TruePositives[k] + FalsePositives[k] + Positives);
            if (f1 > best)
            {
                best = f1;
                bestThreshold = Thresholds[k];
            }
        }

        return new OptimalThreshold(best, bestThreshold);
    }

    /// <summary>The ROC curve from the origin (threshold +∞) through every distinct threshold to (1, 1).</summary>
    public RocPoint[] RocCurve()
    {
        RequireBothClasses("The ROC curve");
        var points = new RocPoint[Thresholds.Length + 1];
        points[0] = new RocPoint(double.PositiveInfinity, 0, 0);
        for (var k = 0; k < Thresholds.Length; k++)
        {
            points[k + 1] = new RocPoint(Thresholds[k], (double)FalsePositives[k] / Negatives, (double)TruePositives[k] / Positives);
        }

        return points;
    }

    /// <summary>The precision–recall curve from (recall 0, precision 1) at threshold +∞ through every distinct
    /// threshold.</summary>
    public PrecisionRecallPoint[] PrecisionRecallCurve()
    {
        RequireBothClasses("The precision-recall curve");
        var points = new PrecisionRecallPoint[Thresholds.Length + 1];
        points[0] = new PrecisionRecallPoint(double.PositiveInfinity, 1, 0);
        for (var k = 0; k < Thresholds.Length; k++)
        {
            var tp = TruePositives[k];
            points[k + 1] = new PrecisionRecallPoint(Thresholds[k], (double)tp / (tp + FalsePositives[k]), (double)tp / Positives);
        }

        return points;
    }

    /// <summary>
    /// The area under the per-region-overlap curve (PRO against the false-positive rate) from FPR 0 to
    /// <paramref name="fprLimit"/>, divided by <paramref name="fprLimit"/> so that a perfect detector scores 1.
    /// The curve starts at (0, 0); the point at the limit is linearly interpolated.
    /// </summary>
    public double Aupro(double fprLimit)
    {
        Debug.Assert(RegionOverlap is not null && fprLimit is > 0 and <= 1);
        RequireBothClasses("AUPRO");
        double area = 0, previousFpr = 0, previousPro = 0;
        for (var k = 0; k < Thresholds.Length; k++)
        {
            var fpr = (double)FalsePositives[k] / Negatives;
            var pro = RegionOverlap![k] / RegionCount;
            if (fpr >= fprLimit)
            {
                // The loop reaches the limit with previousFpr < fprLimit, so the segment has positive width.
                var proAtLimit = previousPro + ((pro - previousPro) * (fprLimit - previousFpr) / (fpr - previousFpr));
                area += (fprLimit - previousFpr) * (previousPro + proAtLimit) / 2;
                break;
            }

            area += (fpr - previousFpr) * (previousPro + pro) / 2;
            previousFpr = fpr;
            previousPro = pro;
        }

        return area / fprLimit;
    }
}
