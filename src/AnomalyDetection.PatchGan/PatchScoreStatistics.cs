using AnomalyDetection.Engine;
using TorchSharp;
using TorchSharp.Utils;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The mean and standard deviation of each patch anomaly term (reconstruction error, fake probability) over all
/// patches of the normal training images, kept as buffers (<c>error_mean</c>, <c>error_std</c>, <c>fake_mean</c>,
/// <c>fake_std</c>, shape [1]) so they travel with the weights; the fused patch score z-normalises both terms with them.
/// </summary>
internal sealed class PatchScoreStatistics : torch.nn.Module
{
    /// <summary>The smallest standard deviation used, so a constant term does not divide by zero.</summary>
    private const double MinimumDeviation = 1e-6;

    // Moving the module replaces these fields' tensors; read them through the fields, never a cached copy.
    [ComponentName(Name = "error_mean")]
    private readonly Tensor _errorMean = torch.zeros(1);

    [ComponentName(Name = "error_std")]
    private readonly Tensor _errorStd = torch.ones(1);

    [ComponentName(Name = "fake_mean")]
    private readonly Tensor _fakeMean = torch.zeros(1);

    [ComponentName(Name = "fake_std")]
    private readonly Tensor _fakeStd = torch.ones(1);

    public PatchScoreStatistics()
        : base(nameof(PatchScoreStatistics))
    {
        RegisterComponents();
    }

    public Tensor ErrorMean => _errorMean;

    public Tensor ErrorStd => _errorStd;

    public Tensor FakeMean => _fakeMean;

    public Tensor FakeStd => _fakeStd;

    /// <summary>Sets the statistics from every patch's two terms (population statistics, in double precision).</summary>
    public void Fit(IReadOnlyList<float> errors, IReadOnlyList<float> fakes)
    {
        Set(_errorMean, _errorStd, errors);
        Set(_fakeMean, _fakeStd, fakes);
    }

    /// <summary>s = α·(e − μₑ)/σₑ + (1 − α)·(f − μ_f)/σ_f, element-wise, on the terms' device.</summary>
    public Tensor Fuse(Tensor errors, Tensor fakes, double alpha)
    {
        using var scope = torch.NewDisposeScope();
        var a = (float)alpha;
        var error = (errors - _errorMean) * _errorStd.reciprocal().Times(a);
        var fake = (fakes - _fakeMean) * _fakeStd.reciprocal().Times(1f - a);
        return error.Plus(fake).MoveToOuterDisposeScope();
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

        using var noGrad = torch.no_grad();
        HeldScalars.With((float)average, value => mean.fill_(value));
        HeldScalars.With((float)Math.Max(Math.Sqrt(squares / values.Count), MinimumDeviation), value => std.fill_(value));
    }
}
