namespace AnomalyDetection.Tensors.NN;

/// <summary>Returns its input unchanged, PyTorch's <c>nn.Identity</c>: a placeholder where a layer is optional.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <summary>Returns <paramref name="input"/> itself.</summary>
    /// <param name="input">Input of any shape.</param>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }
}
