using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace AnomalyDetection.Calibration;

/// <summary>p-values under a Gaussian model of normal scores: p(s) = P(X ≥ s) for X ~ N(mean, standard deviation²).</summary>
public sealed record GaussianPValueModel : PValueModel
{
    /// <summary>Creates the model from its parameters.</summary>
    /// <param name="mean">The mean of normal scores.</param>
    /// <param name="standardDeviation">The standard deviation of normal scores; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite, or the deviation is not positive.</exception>
    public GaussianPValueModel(double mean, double standardDeviation)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        }

        if (!(standardDeviation > 0 && double.IsFinite(standardDeviation)))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be positive and finite.");
        }

        Mean = mean;
        StandardDeviation = standardDeviation;
    }

    /// <summary>The mean of normal scores.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation of normal scores.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    public override double PValue(double score) => 0.5 * SpecialFunctions.Erfc((score - Mean) / (StandardDeviation * Math.Sqrt(2)));

    /// <inheritdoc/>
    public override double ThresholdForFalseAlarmRate(double falseAlarmRate)
    {
        RequireRate(falseAlarmRate);
        return Mean + (StandardDeviation * Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * falseAlarmRate));
    }

    /// <summary>The maximum-likelihood fit: the sample mean and the population (1/n) standard deviation.</summary>
    internal static GaussianPValueModel Fit(double[] scores)
    {
        RequireSpread(scores, "Gaussian");
        return new GaussianPValueModel(ArrayStatistics.Mean(scores), ArrayStatistics.PopulationStandardDeviation(scores));
    }
}
