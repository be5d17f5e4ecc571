using AnomalyDetection.Components;
using AnomalyDetection.Tensors;

namespace AnomalyDetection.Sagan.Tests.Components;

public class GradientPenaltyTests
{
    [Fact]
    public void Compute_LinearCritic_MatchesClosedForm()
    {
        // D(x) = Σ w·x per sample has input gradient w everywhere, so the penalty is (‖w‖ − 1)² whatever the samples,
        // and its gradient with respect to w is 2(‖w‖ − 1)·w/‖w‖.
        float[] w = [0.6f, -1.2f, 0.4f, 0.9f];
        var weight = Tensor.FromArray((float[])w.Clone(), 1, 4).WithRequiresGrad();
        var real = Tensor.Uniform(new RandomSource(1), -1f, 1f, 3, 4);
        var fake = Tensor.Uniform(new RandomSource(2), -1f, 1f, 3, 4);

        var penalty = GradientPenalty.Compute(x => (x * weight).Sum([1]), real, fake, new RandomSource(3));
        penalty.Backward();

        var norm = Math.Sqrt(w.Sum(v => (double)v * v));
        Assert.Equal((norm - 1) * (norm - 1), penalty.ToScalar(), 5);
        for (var i = 0; i < w.Length; i++)
        {
            Assert.Equal(2 * (norm - 1) * w[i] / norm, weight.Grad!.Span[i], 5);
        }
    }

    [Fact]
    public void Compute_InsideNoGradScope_StillGivesParameterGradients()
    {
        var weight = Tensor.FromArray([2f, 0f], 1, 2).WithRequiresGrad();
        Tensor penalty;
        using (GradMode.NoGrad())
        {
            penalty = GradientPenalty.Compute(x => (x * weight).Sum([1]), Tensor.Ones(2, 2), Tensor.Zeros(2, 2), Tensor.Full(0.5f, 2, 1));
        }

        penalty.Backward();

        Assert.Equal(1f, penalty.ToScalar(), 6);
        Assert.Equal([2f, 0f], weight.Grad!.ToArray());
    }

    [Fact]
    public void Compute_SamplesOfDifferentShapes_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientPenalty.Compute(x => x, Tensor.Zeros(2, 3), Tensor.Zeros(2, 4), Tensor.Zeros(2, 1)));

        Assert.Contains("[2, 3] and [2, 4]", error.Message, StringComparison.Ordinal);
    }
}
