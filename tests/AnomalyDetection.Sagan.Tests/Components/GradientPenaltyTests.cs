using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Tests.Components;

public class GradientPenaltyTests
{
    [Fact]
    public void Compute_LinearCritic_MatchesClosedForm()
    {
        // D(x) = Σ w·x per sample has input gradient w everywhere, so the penalty is (‖w‖ − 1)² whatever the samples,
        // and its gradient with respect to w is 2(‖w‖ − 1)·w/‖w‖.
        float[] w = [0.6f, -1.2f, 0.4f, 0.9f];
        var weight = TensorData.FromArray((float[])w.Clone(), 1, 4).requires_grad_(true);
        var real = RandomTensors.Uniform(1, -1f, 1f, 3, 4);
        var fake = RandomTensors.Uniform(2, -1f, 1f, 3, 4);

        var penalty = GradientPenalty.Compute(x => (x * weight).sum(1), real, fake, new RandomSource(3));
        penalty.backward();

        var norm = Math.Sqrt(w.Sum(v => (double)v * v));
        Assert.Equal((norm - 1) * (norm - 1), penalty.item<float>(), 5);
        var gradient = TensorData.ToArray(weight.grad!);
        for (var i = 0; i < w.Length; i++)
        {
            Assert.Equal(2 * (norm - 1) * w[i] / norm, gradient[i], 5);
        }
    }

    [Fact]
    public void Compute_InsideNoGradScope_StillGivesParameterGradients()
    {
        var weight = TensorData.FromArray([2f, 0f], 1, 2).requires_grad_(true);
        Tensor penalty;
        using (torch.no_grad())
        {
            penalty = GradientPenalty.Compute(x => (x * weight).sum(1), torch.ones(2, 2), torch.zeros(2, 2), torch.full(2, 1, 0.5f));
        }

        penalty.backward();

        Assert.Equal(1f, penalty.item<float>(), 6);
        Assert.Equal([2f, 0f], TensorData.ToArray(weight.grad!));
    }

    [Fact]
    public void Compute_WassersteinCritic_BackwardReachesEveryLayer_WhichAFirstOrderGradientWouldNot()
    {
        // The penalty depends on the critic's weights only through the input gradient, so its backward reaches them
        // only if that gradient was taken with create_graph (and the graph retained for the second backward).
        using var critic = new WassersteinCritic(1, 4, 3, new RandomSource(7));
        var real = RandomTensors.Uniform(8, -1f, 1f, 2, 1, 8, 8);
        var fake = RandomTensors.Uniform(9, -1f, 1f, 2, 1, 8, 8);

        var penalty = GradientPenalty.Compute(critic.forward, real, fake, new RandomSource(10));
        penalty.backward();

        Assert.True(penalty.requires_grad);
        foreach (var (name, parameter) in critic.named_parameters())
        {
            // Every weight shapes the input gradient; a bias does only through a LeakyReLU kink, so it may get none.
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                Assert.True(parameter.grad is { } grad && TensorData.ToArray(grad).Any(v => v != 0f), $"{name} got no gradient from the penalty");
            }
        }

        // The same input gradient without create_graph is a constant: a penalty made from it has nothing to differentiate.
        var mixed = ((real + fake) / 2).requires_grad_(true);
        var scores = critic.forward(mixed);
        var firstOrder = torch.autograd.grad([scores], [mixed], [torch.ones_like(scores)], retain_graph: false, create_graph: false)[0];
        Assert.False(((firstOrder.reshape(2, -1).square().sum(1).sqrt() - 1f).square().mean()).requires_grad);
    }

    [Fact]
    public void Compute_SamplesOfDifferentShapes_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientPenalty.Compute(x => x, torch.zeros(2, 3), torch.zeros(2, 4), torch.zeros(2, 1)));

        Assert.Contains("[2, 3] and [2, 4]", error.Message, StringComparison.Ordinal);
    }
}
