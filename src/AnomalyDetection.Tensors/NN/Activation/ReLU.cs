namespace AnomalyDetection.Tensors.NN;

/// <summary>max(x, 0), PyTorch's <c>nn.ReLU</c>.</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <summary>Applies the activation element-wise.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}
