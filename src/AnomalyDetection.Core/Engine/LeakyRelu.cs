using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// LeakyReLU that holds its slope as a <see cref="Scalar"/> for its whole life. TorchSharp's <c>nn.LeakyReLU</c> makes a
/// new scalar on every forward pass and lets it be finalized while LibTorch still reads it (see
/// <see cref="HeldScalars"/>). It has no parameters or buffers, so state dictionaries are the same as with TorchSharp's.
/// </summary>
public sealed class LeakyRelu : torch.nn.Module<Tensor, Tensor>
{
    private readonly Scalar _slope;

    /// <summary>Creates the activation.</summary>
    /// <param name="negativeSlope">The slope for negative inputs, for example 0.2.</param>
    public LeakyRelu(double negativeSlope)
        : base(nameof(LeakyRelu))
    {
        NegativeSlope = negativeSlope;
        _slope = negativeSlope.ToScalar();
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <summary>max(0, x) + slope · min(0, x), element-wise.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A tensor of the input's shape.</returns>
    public override Tensor forward(Tensor input) => input.leaky_relu(_slope);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slope.Dispose();
        }

        base.Dispose(disposing);
    }
}
