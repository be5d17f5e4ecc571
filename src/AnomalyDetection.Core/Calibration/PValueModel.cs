using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>
/// The distribution of anomaly scores on normal images, which turns a score into a p-value: the probability that a
/// normal image scores at least as high. Flagging scores whose p-value is at most α keeps the false-alarm rate on
/// normal images at about α.
/// </summary>
/// <example>
/// Flag about 1% of normal images, whatever the F1-optimal threshold was:
/// <code>
/// var pValues = PValueModel.Fit(PValueMethod.Empirical, normalValidationScores);
/// var imageCalibration = fitted.WithThreshold(pValues.ThresholdForFalseAlarmRate(0.01));
/// </code>
/// </example>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "method")]
[JsonDerivedType(typeof(EmpiricalPValueModel), "empirical")]
[JsonDerivedType(typeof(GaussianPValueModel), "gaussian")]
[JsonDerivedType(typeof(LogNormalPValueModel), "logNormal")]
[JsonDerivedType(typeof(GammaPValueModel), "gamma")]
public abstract record PValueModel
{
    private protected PValueModel()
    {
    }

    /// <summary>The p-value of a score: the upper-tail probability of the normal-score distribution at it.</summary>
    /// <param name="score">A raw anomaly score.</param>
    /// <returns>A probability in [0, 1]; it never increases as the score increases.</returns>
    public abstract double PValue(double score);

    /// <summary>The score threshold for a target false-alarm rate: a score is at or above it exactly when its p-value
    /// is at most <paramref name="falseAlarmRate"/>.</summary>
    /// <param name="falseAlarmRate">The target fraction of normal images flagged, in (0, 1).</param>
    /// <returns>The raw-score threshold.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="falseAlarmRate"/> is outside (0, 1), or too small
    /// for the model to attain.</exception>
    public abstract double ThresholdForFalseAlarmRate(double falseAlarmRate);

    /// <summary>Fits a model of the given kind to normal validation scores.</summary>
    /// <param name="method">The kind of model.</param>
    /// <param name="normalScores">Finite scores of normal validation images: at least one for
    /// <see cref="PValueMethod.Empirical"/>, at least two distinct ones otherwise, and positive for
    /// <see cref="PValueMethod.LogNormal"/> and <see cref="PValueMethod.Gamma"/>.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">The scores do not meet the method's needs.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is not a defined value.</exception>
    public static PValueModel Fit(PValueMethod method, ReadOnlySpan<float> normalScores)
    {
        if (normalScores.IsEmpty)
        {
            throw new ArgumentException("Fitting p-values needs normal scores, but the span is empty.", nameof(normalScores));
        }

        Metrics.ScoreInput.RequireFinite(normalScores, nameof(normalScores));
        var scores = new double[normalScores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = normalScores[i];
        }

        return method switch
        {
            PValueMethod.Empirical => new EmpiricalPValueModel(scores),
            PValueMethod.Gaussian => GaussianPValueModel.Fit(scores),
            PValueMethod.LogNormal => LogNormalPValueModel.Fit(scores),
            PValueMethod.Gamma => GammaPValueModel.Fit(scores),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown p-value method."),
        };
    }

    /// <summary>Throws unless the false-alarm rate lies in (0, 1).</summary>
    private protected static void RequireRate(double falseAlarmRate)
    {
        if (!(falseAlarmRate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), falseAlarmRate, "The false-alarm rate must lie in (0, 1).");
        }
    }

    /// <summary>Throws unless the scores are all positive, as a log-normal or gamma fit needs.</summary>
    private protected static void RequirePositive(double[] scores, string method)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] <= 0)
            {
                throw new ArgumentException($"A {method} fit needs positive scores, but the score at index {i} is {scores[i]}.", "normalScores");
            }
        }
    }

    /// <summary>Throws unless the scores take at least two values, which a two-parameter fit needs.</summary>
    private protected static void RequireSpread(double[] scores, string method)
    {
        if (scores.AsSpan().IndexOfAnyExcept(scores[0]) < 0)
        {
            throw new ArgumentException($"A {method} fit needs at least two distinct normal scores, but all {scores.Length} equal {scores[0]}.", "normalScores");
        }
    }
}
