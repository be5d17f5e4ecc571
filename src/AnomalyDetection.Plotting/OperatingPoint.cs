namespace AnomalyDetection.Plotting;

/// <summary>What a threshold does to a scored set: an image is called anomalous when its score is at or above the
/// threshold, the rule of every detector and of Core's metrics.</summary>
/// <param name="TruePositiveRate">Sensitivity (recall): the fraction of anomalous images flagged.</param>
/// <param name="FalsePositiveRate">The fraction of normal images flagged (1 − specificity).</param>
/// <param name="Precision">The fraction of flagged images that are anomalous; null when none are flagged.</param>
internal readonly record struct OperatingPoint(double TruePositiveRate, double FalsePositiveRate, double? Precision)
{
    public static OperatingPoint At(double threshold, float[] scores, bool[] labels)
    {
        int truePositives = 0, falsePositives = 0, anomalous = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var flagged = scores[i] >= threshold;
            if (labels[i])
            {
                anomalous++;
                truePositives += flagged ? 1 : 0;
            }
            else
            {
                falsePositives += flagged ? 1 : 0;
            }
        }

        var normal = scores.Length - anomalous;
        var flaggedCount = truePositives + falsePositives;
        return new OperatingPoint(
            anomalous == 0 ? 0 : (double)truePositives / anomalous,
            normal == 0 ? 0 : (double)falsePositives / normal,
            flaggedCount == 0 ? null : (double)truePositives / flaggedCount);
    }
}
