using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// The WGAN-GP gradient penalty (Gulrajani et al. 2017): mean over samples of (‖∇ₓ D(x̂)‖₂ − 1)², at points
/// x̂ = α·real + (1 − α)·fake on the lines between real and generated samples. The returned value is differentiable
/// with respect to the critic's parameters (the input gradient is taken with a create-graph backward).
/// </summary>
public static class GradientPenalty
{
    /// <summary>The penalty at interpolation factors drawn uniformly from [0, 1), one per sample.</summary>
    /// <param name="critic">The critic, as a function from a batch to its scores.</param>
    /// <param name="real">Real samples (N, …); not differentiated.</param>
    /// <param name="fake">Generated samples of the same shape; not differentiated.</param>
    /// <param name="random">Draws the interpolation factors.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentException">The samples differ in shape.</exception>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(random);
        var shape = new long[real.dim()];
        shape.AsSpan().Fill(1);
        shape[0] = real.shape[0];
        var values = new float[real.shape[0]];
        random.FillUniform(values, 0f, 1f);
        using var alpha = TensorData.FromArray(values, shape);
        using var moved = alpha.to(real.device);
        return Compute(critic, real, fake, moved);
    }

    /// <summary>The penalty at given interpolation factors.</summary>
    /// <param name="critic">The critic, as a function from a batch to its scores.</param>
    /// <param name="real">Real samples (N, …); not differentiated.</param>
    /// <param name="fake">Generated samples of the same shape; not differentiated.</param>
    /// <param name="alpha">The weight of the real sample, broadcastable to the samples, typically (N, 1, 1, 1).</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentException">The samples differ in shape.</exception>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor alpha)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(alpha);
        if (!real.shape.SequenceEqual(fake.shape) || real.dim() < 1)
        {
            throw new ArgumentException($"The gradient penalty needs real and fake samples of one shape, but got {ComponentInputGuard.Format(real.shape)} and {ComponentInputGuard.Format(fake.shape)}.", nameof(fake));
        }

        // Recording must be on even when the caller is inside a no-grad scope: the penalty is a gradient of a gradient.
        using var recording = torch.enable_grad();
        var a = alpha.detach();
        var mixed = (a * real.detach()).Plus(a.SubtractedFrom(1) * fake.detach()).detach().requires_grad_(true);
        var scores = critic(mixed);

        // create_graph makes the input gradient itself differentiable, so the penalty reaches the critic's weights;
        // TorchSharp does not imply retain_graph from it as PyTorch does, and the backward through the penalty needs the graph.
        var gradient = torch.autograd.grad([scores], [mixed], [torch.ones_like(scores)], retain_graph: true, create_graph: true)[0];
        var norms = gradient.reshape(real.shape[0], -1).Squared().sum(1).sqrt();
        return norms.Minus(1).Squared().mean();
    }
}
