namespace AnomalyDetection.Tensors.NN;

/// <summary>A module with a typed forward pass, the counterpart of TorchSharp's <c>Module&lt;T, TResult&gt;</c>.</summary>
/// <typeparam name="TInput">The input type, usually <see cref="Tensor"/>.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the module's output; records the autograd graph when the inputs or parameters need gradients.</summary>
    /// <param name="input">The input.</param>
    public abstract TOutput Forward(TInput input);
}
