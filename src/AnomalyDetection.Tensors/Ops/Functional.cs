namespace AnomalyDetection.Tensors;

/// <summary>
/// Stateless neural-network operations (the counterpart of <c>torch.nn.functional</c>): each takes its weights as
/// arguments, records its backward when a gradient is needed, and is the unit that gradient checks test.
/// Modules in the <c>AnomalyDetection.Tensors.NN</c> namespace own parameters and call these.
/// </summary>
public static partial class Functional
{
    internal static NotImplementedException Pending(string name) => new($"{name} is not implemented yet.");
}
