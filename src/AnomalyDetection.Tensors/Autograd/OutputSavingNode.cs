namespace AnomalyDetection.Tensors.Autograd;

/// <summary>
/// A one-input node whose backward is a function of the operation's output (exp, sqrt, tanh, sigmoid, softmax).
/// </summary>
/// <remarks>
/// The output is recorded as produced by this node, so a create-graph backward that computes with it differentiates
/// through this node back to the input: such backwards are twice differentiable without extra code.
/// </remarks>
internal abstract class OutputSavingNode(Tensor input, Tensor output) : GradNode(input)
{
    private Tensor? _output = output;

    /// <summary>The operation's output; throws a clear error after the graph has been released.</summary>
    protected Tensor Output => _output ?? throw new InvalidOperationException(
        $"{Name}: the graph has already been released by an earlier Backward call; pass retainGraph: true to backward twice.");

    protected override void ReleaseSaved() => _output = null;
}
