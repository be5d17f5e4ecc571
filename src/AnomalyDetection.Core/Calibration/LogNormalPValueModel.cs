using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace AnomalyDetection.Calibration;

/// <summary>p-values under a log-normal model of normal scores: p(s) = P(X ≥ s) where ln X ~ N(mu, sigma²). Suits
/// positive, right-skewed scores such as reconstruction errors.</summary>
public sealed record LogNormalPValueModel : PValueModel
{
    /// <summary>Creates the model from its parameters.</summary>
    /// <param name="mu">The mean of the log scores.</param>
    /// <param name="sigma">The standard deviation of the log scores; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite, or sigma is not positive.</exception>
    public LogNormalPValueModel(double mu, double sigma)
    {
        if (!double.IsFinite(mu))
        {
            throw new ArgumentOutOfRangeException(nameof(mu), mu, "Mu must be finite.");
        }

        if (!(sigma > 0 && double.IsFinite(sigma)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be positive and finite.");
        }

        Mu = mu;
        Sigma = sigma;
    }

    /// <summary>The mean of the log scores.</summary>
    public double Mu { get; }

    /// <summary>The standard deviation of the log scores.</summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    /// <remarks>Scores at or below 0 lie below the whole distribution and get p = 1.</remarks>
    public override double PValue(double score) =>
        score <= 0 ? 1 : 0.5 * SpecialFunctions.Erfc((Math.Log(score) - Mu) / (Sigma * Math.Sqrt(2)));

    /// <inheritdoc/>
    public override double ThresholdForFalseAlarmRate(double falseAlarmRate)
    {
        RequireRate(falseAlarmRate);
        return Math.Exp(Mu + (Sigma * Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * falseAlarmRate)));
    }

    /// <summary>The maximum-likelihood fit: the mean and population (1/n) standard deviation of the log scores.</summary>
    internal static LogNormalPValueModel Fit(double[] scores)
    {
        RequirePositive(scores, "log-normal");
        RequireSpread(scores, "log-normal");
        var logs = new double[scores.Length];
        for (var i = 0; i < logs.Length; i++)
        {
            logs[i] = Math.Log(scores[i]);
        }

        return new LogNormalPValueModel(ArrayStatistics.Mean(logs), ArrayStatistics.PopulationStandardDeviation(logs));
    }
}
