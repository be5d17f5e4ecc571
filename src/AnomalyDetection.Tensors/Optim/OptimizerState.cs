namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// A snapshot of an optimiser's state: its learning rate and hyper-parameters, and per parameter its step count and
/// moment buffers. Loading it into a fresh optimiser over the same parameters resumes training bit for bit.
/// </summary>
/// <remarks>
/// Keys follow PyTorch's names, prefixed by the parameter's position in the optimiser's list: tensors such as
/// <c>0.exp_avg</c> and <c>3.momentum_buffer</c>, scalars such as <c>lr</c>, <c>beta1</c> and <c>0.step</c>.
/// Tensors hold float32 values and scalars exact doubles, so the state can be written to a safetensors file
/// (tensors as tensors, scalars as metadata).
/// </remarks>
/// <param name="kind">The optimiser's type name, such as "Adam"; loading checks it.</param>
public sealed class OptimizerState(string kind)
{
    /// <summary>The optimiser's type name, such as "Adam".</summary>
    public string Kind { get; } = !string.IsNullOrEmpty(kind) ? kind : throw new ArgumentException("The optimizer kind must not be empty.", nameof(kind));

    /// <summary>Per-parameter buffers by key (<c>{index}.{name}</c>), each with its parameter's shape.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>The learning rate, hyper-parameters and per-parameter step counts by key.</summary>
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);
}
