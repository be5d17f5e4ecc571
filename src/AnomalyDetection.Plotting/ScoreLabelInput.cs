using System.Globalization;

namespace AnomalyDetection.Plotting;

/// <summary>Checks scores and labels before they are plotted, so that a wrong call fails with a message naming the
/// plot and the problem instead of an empty or misleading picture.</summary>
internal static class ScoreLabelInput
{
    /// <summary>Copies scores and labels after checking that they pair up, are non-empty and finite, and (when
    /// <paramref name="needsBothClasses"/>) hold at least one normal and one anomalous sample.</summary>
    /// <exception cref="ArgumentException">One of the checks fails.</exception>
    public static (float[] Scores, bool[] Labels, int Normal, int Anomalous) Check(
        IReadOnlyList<float> scores, IReadOnlyList<bool> labels, string plot, bool needsBothClasses)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException(Format($"The {plot} needs one label per score, but got {scores.Count} scores and {labels.Count} labels."), nameof(labels));
        }

        if (scores.Count == 0)
        {
            throw new ArgumentException($"The {plot} needs at least one score; none were given.", nameof(scores));
        }

        var scoreArray = scores.ToArray();
        for (var i = 0; i < scoreArray.Length; i++)
        {
            if (!float.IsFinite(scoreArray[i]))
            {
                throw new ArgumentException(Format($"The {plot} needs finite scores, but score {i} is {scoreArray[i]}."), nameof(scores));
            }
        }

        var labelArray = labels.ToArray();
        var anomalous = labelArray.Count(l => l);
        var normal = labelArray.Length - anomalous;
        if (needsBothClasses && (anomalous == 0 || normal == 0))
        {
            var missing = anomalous == 0 ? "anomalous" : "normal";
            throw new ArgumentException(Format($"The {plot} needs both normal and anomalous samples, but all {labelArray.Length} labels are {(anomalous == 0 ? "normal" : "anomalous")} (no {missing} sample)."), nameof(labels));
        }

        return (scoreArray, labelArray, normal, anomalous);
    }

    /// <summary>Checks an optional threshold: it must be finite when given.</summary>
    /// <exception cref="ArgumentException">The threshold is NaN or infinite.</exception>
    public static void CheckThreshold(double? threshold, string plot)
    {
        if (threshold is { } t && !double.IsFinite(t))
        {
            throw new ArgumentException(Format($"The {plot} needs a finite threshold, but got {t}."), nameof(threshold));
        }
    }

    /// <summary>Checks a picture size in pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside [<see cref="EvaluationPlots.MinimumSide"/>, <see cref="EvaluationPlots.MaximumSide"/>].</exception>
    public static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, EvaluationPlots.MinimumSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, EvaluationPlots.MaximumSide);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, EvaluationPlots.MinimumSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, EvaluationPlots.MaximumSide);
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
