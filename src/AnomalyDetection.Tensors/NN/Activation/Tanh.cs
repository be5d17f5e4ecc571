namespace AnomalyDetection.Tensors.NN;

/// <summary>The hyperbolic tangent, PyTorch's <c>nn.Tanh</c>.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <summary>Applies the activation element-wise.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}
