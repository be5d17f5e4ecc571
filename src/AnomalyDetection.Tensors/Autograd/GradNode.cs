namespace AnomalyDetection.Tensors.Autograd;

/// <summary>
/// The backward half of one differentiable operation: it keeps what the forward saved and maps the gradient of
/// the operation's output to gradients of its inputs.
/// </summary>
/// <remarks>
/// <para>Backward is called with graph recording enabled exactly when the caller asked for a create-graph backward.
/// Nodes that express their backward in differentiable tensor operations therefore support higher-order
/// gradients without extra code; nodes that use fused kernels call <see cref="RequireFirstOrder"/>.</para>
/// </remarks>
internal abstract class GradNode
{
    private Tensor?[]? _inputs;

    /// <param name="inputs">The operation's tensor inputs, in the order <see cref="Backward"/> returns gradients.</param>
    protected GradNode(params Tensor?[] inputs)
    {
        _inputs = inputs;
    }

    /// <summary>A short name for messages, such as "Conv2dBackward".</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The inputs, or null once the graph has been released.</summary>
    internal Tensor?[]? Inputs => _inputs;

    /// <summary>The gradient accumulated for this node's output during the current backward pass.</summary>
    internal Tensor? PendingGradient;

    /// <summary>Per input, whether the current backward pass needs its gradient; null means "every input that requires one".</summary>
    internal bool[]? Needed;

    /// <summary>Whether the current backward pass needs the gradient of input <paramref name="index"/>.</summary>
    protected bool NeedsGradient(int index) =>
        _inputs is { } inputs && inputs[index] is { RequiresGrad: true } && (Needed is null || Needed[index]);

    /// <summary>Returns one gradient per input (null where the input needs none), each with that input's shape.</summary>
    /// <param name="gradOutput">The gradient of the output, with the output's shape.</param>
    public abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>Drops the saved inputs so that their memory can be reclaimed; a later backward through this node fails.</summary>
    internal virtual void Release()
    {
        _inputs = null;
        ReleaseSaved();
    }

    /// <summary>Drops tensors saved for backward besides the inputs.</summary>
    protected virtual void ReleaseSaved()
    {
    }

    /// <summary>Throws when a create-graph backward reaches a node whose backward is not itself differentiable.</summary>
    protected void RequireFirstOrder()
    {
        if (GradMode.IsEnabled)
        {
            throw new NotSupportedException($"{Name} does not support higher-order gradients (create-graph backward).");
        }
    }

    /// <summary>The saved input <paramref name="index"/>; throws a clear error after the graph has been released.</summary>
    protected Tensor Input(int index) =>
        _inputs?[index] ?? throw new InvalidOperationException(
            $"{Name}: the graph has already been released by an earlier Backward call; pass retainGraph: true to backward twice.");
}
