using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The mean and standard deviation of each patch anomaly term (reconstruction error, fake probability) over all
/// patches of the normal training images, kept as buffers so they travel with the weights; the fused patch score
/// z-normalises both terms with them.
/// </summary>
internal sealed class PatchScoreStatistics : Module
{
    /// <summary>The smallest standard deviation used, so a constant term does not divide by zero.</summary>
    private const double MinimumDeviation = 1e-6;

    public PatchScoreStatistics()
    {
        ErrorMean = RegisterBuffer("error_mean", Tensor.Zeros(1));
        ErrorStd = RegisterBuffer("error_std", Tensor.Ones(1));
        FakeMean = RegisterBuffer("fake_mean", Tensor.Zeros(1));
        FakeStd = RegisterBuffer("fake_std", Tensor.Ones(1));
    }

    public Tensor ErrorMean { get; }

    public Tensor ErrorStd { get; }

    public Tensor FakeMean { get; }

    public Tensor FakeStd { get; }

    /// <summary>Sets the statistics from every patch's two terms.</summary>
    public void Fit(IReadOnlyList<float> errors, IReadOnlyList<float> fakes)
    {
        Set(ErrorMean, ErrorStd, errors);
        Set(FakeMean, FakeStd, fakes);
    }

    /// <summary>s = α·(e − μₑ)/σₑ + (1 − α)·(f − μ_f)/σ_f, element-wise.</summary>
    public Tensor Fuse(Tensor errors, Tensor fakes, double alpha)
    {
        var a = (float)alpha;
        var error = (errors - ErrorMean.Span[0]) * (a / ErrorStd.Span[0]);
        var fake = (fakes - FakeMean.Span[0]) * ((1f - a) / FakeStd.Span[0]);
        return error + fake;
    }

    private static void Set(Tensor mean, Tensor std, IReadOnlyList<float> values)
    {
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        var average = sum / values.Count;
        foreach (var value in values)
        {
            squares += (value - average) * (value - average);
        }

        mean.AsSpan()[0] = (float)average;
        std.AsSpan()[0] = (float)Math.Max(Math.Sqrt(squares / values.Count), MinimumDeviation);
    }
}
