using AnomalyDetection.Tensors;

namespace AnomalyDetection.Components;

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
        var shape = new int[real.Rank];
        shape.AsSpan().Fill(1);
        shape[0] = real.Size(0);
        return Compute(critic, real, fake, Tensor.Uniform(random, 0f, 1f, shape));
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
        if (!real.Shape.SequenceEqual(fake.Shape) || real.Rank < 1)
        {
            throw new ArgumentException($"The gradient penalty needs real and fake samples of one shape, but got {ComponentInputGuard.Format(real.Shape)} and {ComponentInputGuard.Format(fake.Shape)}.", nameof(fake));
        }

        // Recording must be on even when the caller is inside a no-grad scope: the penalty is a gradient of a gradient.
        using var recording = GradMode.EnableGrad();
        var a = alpha.Detach();
        var mixed = ((a * real.Detach()) + ((1f - a) * fake.Detach())).WithRequiresGrad();
        var scores = critic(mixed);
        var gradient = scores.GradientsWith([mixed], Tensor.OnesLike(scores), createGraph: true)[0];
        var norms = gradient.Reshape(real.Size(0), -1).Square().Sum([1]).Sqrt();
        return (norms - 1f).Square().Mean();
    }
}
