using AnomalyDetection.Calibration;
using MathNet.Numerics.Distributions;

namespace AnomalyDetection.Core.Tests.Calibration;

public class PValueModelTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.5, 0.6)]
    [InlineData(3.0, 0.6)]
    [InlineData(4.0, 0.4)]
    [InlineData(4.5, 0.2)]
    public void Empirical_PValue_IsOnePlusCountAtOrAboveOverNPlusOne(double score, double expected)
    {
        // Normal scores 1, 2, 3, 4 (n = 4, given unsorted): p(s) = (1 + #{x ≥ s}) / 5. p(0) = p(1) = 5/5;
        // p(2.5) = p(3) = (1 + 2)/5; p(4) = (1 + 1)/5; p(4.5) = (1 + 0)/5.
        var model = new EmpiricalPValueModel([4, 2, 3, 1]);
        Assert.Equal(expected, model.PValue(score), 12);
    }

    [Fact]
    public void Empirical_ThresholdForFalseAlarmRate_LiesJustAboveTheRightOrderStatistic()
    {
        // Scores 1..4 (n = 4): p = 0.4 allows k = 1 normal score at or above, so the threshold sits just above the
        // second largest (3). Rate 0.1 is below the smallest p-value 1/5 and cannot be attained.
        var model = new EmpiricalPValueModel([1, 2, 3, 4]);
        Assert.Equal(Math.BitIncrement(3.0), model.ThresholdForFalseAlarmRate(0.4));
        Assert.Equal(Math.BitIncrement(4.0), model.ThresholdForFalseAlarmRate(0.2));
        Assert.Equal(Math.BitIncrement(1.0), model.ThresholdForFalseAlarmRate(0.99));
        Assert.Contains("1/5", Assert.Throws<ArgumentOutOfRangeException>(() => model.ThresholdForFalseAlarmRate(0.1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ThresholdForFalseAlarmRate(1));
    }

    [Fact]
    public void Empirical_Threshold_AgreesWithPValueOnEveryScore()
    {
        // Ties in the normal scores and probes at, between and beyond them: s ≥ threshold exactly when p(s) ≤ α.
        var random = new Random(5);
        var normals = Enumerable.Range(0, 57).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
        var model = new EmpiricalPValueModel(normals);
        var probes = normals.Concat(Enumerable.Range(-2, 16).Select(i => i / 10.0)).Concat(normals.Select(Math.BitIncrement));
        foreach (var rate in new[] { 0.02, 0.05, 0.1, 1.0 / 58, 3.0 / 58, 0.5, 0.9 })
        {
            var threshold = model.ThresholdForFalseAlarmRate(rate);
            foreach (var score in probes)
            {
                Assert.Equal(model.PValue(score) <= rate, score >= threshold);
            }
        }
    }

    [Fact]
    public void Gaussian_Fit_IsMaximumLikelihood()
    {
        // Mean 2.5; the MLE variance divides by n: ((1.5² + 0.5²) · 2) / 4 = 1.25.
        var model = Assert.IsType<GaussianPValueModel>(PValueModel.Fit(PValueMethod.Gaussian, [1, 2, 3, 4]));
        Assert.Equal(2.5, model.Mean, 12);
        Assert.Equal(Math.Sqrt(1.25), model.StandardDeviation, 12);
    }

    [Fact]
    public void Gaussian_PValue_IsTheUpperTail()
    {
        // Standard normal: P(Z ≥ 0) = 1/2; P(Z ≥ 1.6448536269514722) = 0.05; P(Z ≥ −1) = 0.8413447460685429.
        var model = new GaussianPValueModel(0, 1);
        Assert.Equal(0.5, model.PValue(0), 12);
        Assert.Equal(0.05, model.PValue(1.6448536269514722), 12);
        Assert.Equal(0.8413447460685429, model.PValue(-1), 12);
        Assert.Equal(1.6448536269514722, model.ThresholdForFalseAlarmRate(0.05), 9);
    }

    [Fact]
    public void LogNormal_Fit_IsMaximumLikelihoodOnLogs()
    {
        // Logs 0, 1, 2: mu = 1, sigma² = (1 + 0 + 1) / 3.
        var model = Assert.IsType<LogNormalPValueModel>(PValueModel.Fit(PValueMethod.LogNormal, [1f, (float)Math.E, (float)(Math.E * Math.E)]));
        Assert.Equal(1, model.Mu, 6);
        Assert.Equal(Math.Sqrt(2.0 / 3), model.Sigma, 6);
        Assert.Equal(0.5, model.PValue(Math.E), 6);
        Assert.Equal(1, model.PValue(0));
    }

    [Fact]
    public void Gamma_Fit_SolvesTheLikelihoodEquationAndRecoversParameters()
    {
        var samples = new double[5000];
        Gamma.Samples(new Random(17), samples, 2.0, 3.0);
        var scores = samples.Select(s => (float)s).ToArray();

        var model = Assert.IsType<GammaPValueModel>(PValueModel.Fit(PValueMethod.Gamma, scores));

        // At the MLE, ln k − ψ(k) = ln(mean) − mean(ln x) and rate = k / mean.
        var mean = scores.Average(s => (double)s);
        var meanLog = scores.Average(s => Math.Log(s));
        Assert.Equal(Math.Log(mean) - meanLog, Math.Log(model.Shape) - MathNet.Numerics.SpecialFunctions.DiGamma(model.Shape), 10);
        Assert.Equal(model.Shape / mean, model.Rate, 10);
        Assert.Equal(2.0, model.Shape, 0.1);
        Assert.Equal(3.0, model.Rate, 0.15);
    }

    [Theory]
    [InlineData(PValueMethod.Gaussian)]
    [InlineData(PValueMethod.LogNormal)]
    [InlineData(PValueMethod.Gamma)]
    public void Parametric_ThresholdForFalseAlarmRate_HasThatPValue(PValueMethod method)
    {
        var model = PValueModel.Fit(method, [0.2f, 0.3f, 0.35f, 0.5f, 0.8f, 0.4f]);
        foreach (var rate in new[] { 0.001, 0.01, 0.05, 0.5, 0.9 })
        {
            Assert.Equal(rate, model.PValue(model.ThresholdForFalseAlarmRate(rate)), 9);
        }
    }

    [Theory]
    [InlineData(PValueMethod.Empirical)]
    [InlineData(PValueMethod.Gaussian)]
    [InlineData(PValueMethod.LogNormal)]
    [InlineData(PValueMethod.Gamma)]
    public void PValue_NeverIncreasesWithTheScore(PValueMethod method)
    {
        var model = PValueModel.Fit(method, [0.2f, 0.3f, 0.35f, 0.5f, 0.8f, 0.4f, 0.3f]);
        var previous = double.PositiveInfinity;
        for (var score = -0.5; score <= 2; score += 0.01)
        {
            var p = model.PValue(score);
            Assert.InRange(p, 0, previous);
            previous = p;
        }

        Assert.True(model.PValue(0.25) > model.PValue(0.6));
    }

    [Theory]
    [InlineData(PValueMethod.Empirical)]
    [InlineData(PValueMethod.Gaussian)]
    [InlineData(PValueMethod.LogNormal)]
    [InlineData(PValueMethod.Gamma)]
    public void PValue_FreshNormalScores_AreUniformAndControlTheFalseAlarmRate(PValueMethod method)
    {
        // Validation and test normal scores from the distribution each model assumes (the empirical one from a
        // skewed gamma). Kolmogorov–Smirnov: the 1% critical value for 2,000 samples is 1.63 / √2000 ≈ 0.0364.
        var random = new Random(23);
        var validation = Draw(method, random, 2000);
        var test = Draw(method, random, 2000);
        var model = PValueModel.Fit(method, validation);

        var pValues = test.Select(s => model.PValue(s)).Order().ToArray();
        double ks = 0;
        for (var i = 0; i < pValues.Length; i++)
        {
            ks = Math.Max(ks, Math.Max(((i + 1.0) / pValues.Length) - pValues[i], pValues[i] - ((double)i / pValues.Length)));
        }

        Assert.InRange(ks, 0, 0.0364);
        var threshold = model.ThresholdForFalseAlarmRate(0.05);
        var falseAlarms = test.Count(s => s >= threshold) / (double)test.Length;
        Assert.InRange(falseAlarms, 0.035, 0.065);
    }

    [Fact]
    public void Fit_ScoresAModelCannotTake_Throw()
    {
        Assert.Contains("index 1 is 0", Assert.Throws<ArgumentException>(() => PValueModel.Fit(PValueMethod.LogNormal, [0.5f, 0f])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => PValueModel.Fit(PValueMethod.Gamma, [0.5f, -1f])).Message);
        Assert.Contains("two distinct", Assert.Throws<ArgumentException>(() => PValueModel.Fit(PValueMethod.Gaussian, [0.5f, 0.5f])).Message);
        Assert.Throws<ArgumentException>(() => PValueModel.Fit(PValueMethod.Empirical, []));
        Assert.Throws<ArgumentException>(() => PValueModel.Fit(PValueMethod.Empirical, [float.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianPValueModel(0, 0));
    }

    private static float[] Draw(PValueMethod method, Random random, int count)
    {
        var values = new double[count];
        switch (method)
        {
            case PValueMethod.Gaussian:
                Normal.Samples(random, values, 0.3, 0.05);
                break;
            case PValueMethod.LogNormal:
                LogNormal.Samples(random, values, -1.5, 0.4);
                break;
            default:
                Gamma.Samples(random, values, 2.0, 8.0);
                break;
        }

        return values.Select(v => (float)v).ToArray();
    }
}
