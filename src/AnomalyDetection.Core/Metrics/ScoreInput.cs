namespace AnomalyDetection.Metrics;

/// <summary>Argument checks shared by the metrics and calibration entry points.</summary>
internal static class ScoreInput
{
    /// <summary>Checks that scores and labels pair up, are non-empty and that every score is finite.</summary>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or a score is NaN or infinite.</exception>
    public static void Validate(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"Expected one label per score, but got {scores.Length} scores and {labels.Length} labels.", nameof(labels));
        }

        if (scores.IsEmpty)
        {
            throw new ArgumentException("Expected at least one score, but the span is empty.", nameof(scores));
        }

        RequireFinite(scores, nameof(scores));
    }

    /// <summary>Throws if any value is NaN or infinite, naming the first offending index.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void RequireFinite(ReadOnlySpan<float> values, string parameterName)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"Scores must be finite, but the value at index {i} is {values[i]}.", parameterName);
            }
        }
    }

    /// <summary>Builds the sweep of validated scores and labels, requiring both classes.</summary>
    /// <exception cref="ArgumentException">The input is invalid or one class is missing.</exception>
    public static ScoreSweep SweepWithBothClasses(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, string metric)
    {
        Validate(scores, labels);
        var sweep = ScoreSweep.FromScores(scores, labels);
        if (sweep.Positives == 0 || sweep.Negatives == 0)
        {
            throw new ArgumentException(
                $"{metric} needs both normal and anomalous samples, but all {labels.Length} labels are {(sweep.Positives == 0 ? "normal" : "anomalous")}.",
                nameof(labels));
        }

        return sweep;
    }
}
