using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

/// <summary>The WGAN-GP penalty end to end: gradients of a norm of input gradients, through the ops it needs.</summary>
public class GradientPenaltyTests
{
    [Fact]
    public void GradientPenalty_ParameterGradients_MatchFiniteDifferences()
    {
        var x = TensorAssert.Random(81, 3, 4);
        var w1 = TensorAssert.Random(82, 4);
        var b1 = TensorAssert.Random(83, 4) * 0.3f;
        var w2 = TensorAssert.Random(84, 4);
        GradCheck.First(t => Penalty(x, t[0], t[1], t[2], usePow: false), [w1, b1, w2], epsilon: 1e-3);
        GradCheck.First(t => Penalty(x, t[0], t[1], t[2], usePow: true), [w1, b1, w2], epsilon: 1e-3);
    }

    /// <summary>
    /// A tiny critic D(x) = Σ_j w2_j · LeakyReLU(x_j·w1_j + b1_j) per sample, and the penalty
    /// mean((‖∂D/∂x‖₂ − 1)²), written once with Square/Sqrt and once with Pow.
    /// </summary>
    private static Tensor Penalty(Tensor x, Tensor w1, Tensor b1, Tensor w2, bool usePow)
    {
        using var recording = GradMode.EnableGrad();
        var input = x.Clone().WithRequiresGrad();
        var critic = ((input * w1 + b1).LeakyRelu(0.2f) * w2).Sum([1]);
        var gradient = critic.Sum().GradientsWith([input], createGraph: true)[0];
        var norm = usePow ? gradient.Pow(2f).Sum([1]).Pow(0.5f) : gradient.Square().Sum([1]).Sqrt();
        var deviation = norm - 1f;
        return (usePow ? deviation.Abs().Pow(2f) : deviation.Square()).Mean();
    }
}
