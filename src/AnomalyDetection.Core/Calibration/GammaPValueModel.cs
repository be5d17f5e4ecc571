using MathNet.Numerics;
using MathNet.Numerics.RootFinding;
using MathNet.Numerics.Statistics;

namespace AnomalyDetection.Calibration;

/// <summary>p-values under a gamma model of normal scores: p(s) = P(X ≥ s) for X ~ Gamma(shape, rate), with density
/// proportional to x^(shape − 1) · e^(−rate · x). Suits positive, right-skewed scores such as reconstruction
/// errors.</summary>
public sealed record GammaPValueModel : PValueModel
{
    /// <summary>Creates the model from its parameters.</summary>
    /// <param name="shape">The shape k; positive.</param>
    /// <param name="rate">The rate β (the inverse scale); positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive and finite.</exception>
    public GammaPValueModel(double shape, double rate)
    {
        if (!(shape > 0 && double.IsFinite(shape)))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "The shape must be positive and finite.");
        }

        if (!(rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be positive and finite.");
        }

        Shape = shape;
        Rate = rate;
    }

    /// <summary>The shape k.</summary>
    public double Shape { get; }

    /// <summary>The rate β.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    /// <remarks>Scores at or below 0 lie below the whole distribution and get p = 1.</remarks>
    public override double PValue(double score) => score <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(Shape, Rate * score);

    /// <inheritdoc/>
    public override double ThresholdForFalseAlarmRate(double falseAlarmRate)
    {
        RequireRate(falseAlarmRate);
        return SpecialFunctions.GammaLowerRegularizedInv(Shape, 1 - falseAlarmRate) / Rate;
    }

    /// <summary>
    /// The maximum-likelihood fit. The shape solves ln k − ψ(k) = ln(mean) − mean(ln x), which has one root because
    /// the left side falls from +∞ to 0; the rate is then k / mean.
    /// </summary>
    internal static GammaPValueModel Fit(double[] scores)
    {
        RequirePositive(scores, "gamma");
        RequireSpread(scores, "gamma");
        var mean = ArrayStatistics.Mean(scores);
        double meanLog = 0;
        foreach (var score in scores)
        {
            meanLog += Math.Log(score);
        }

        var s = Math.Log(mean) - (meanLog / scores.Length);

        // Minka's closed-form approximation lands within a few percent of the root, a tight bracket to start from.
        var guess = (3 - s + Math.Sqrt(((s - 3) * (s - 3)) + (24 * s))) / (12 * s);
        var shape = Brent.FindRootExpand(k => Math.Log(k) - SpecialFunctions.DiGamma(k) - s, guess / 2, guess * 2, accuracy: 1e-12 * guess);
        return new GammaPValueModel(shape, shape / mean);
    }
}
