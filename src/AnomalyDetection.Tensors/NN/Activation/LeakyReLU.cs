namespace AnomalyDetection.Tensors.NN;

/// <summary>x for x &gt; 0 and slope·x otherwise, PyTorch's <c>nn.LeakyReLU</c>.</summary>
/// <param name="negativeSlope">The slope for negative inputs; PyTorch's default is 0.01, GAN discriminators usually use 0.2.</param>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module<Tensor, Tensor>
{
    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <summary>Applies the activation element-wise.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LeakyRelu(NegativeSlope);
    }
}
