namespace AnomalyDetection.Tensors.NN;

/// <summary>The logistic sigmoid 1 / (1 + e^−x), PyTorch's <c>nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <summary>Applies the activation element-wise.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}
