namespace AnomalyDetection.Tensors.NN;

/// <summary>GELU in its exact (erf) form, PyTorch's default <c>nn.GELU</c>.</summary>
public sealed class GELU : Module<Tensor, Tensor>
{
    /// <summary>Applies the activation element-wise.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Gelu();
    }
}
