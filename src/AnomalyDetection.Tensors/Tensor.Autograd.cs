using AnomalyDetection.Tensors.Autograd;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>The operation that produced this tensor, or null for a leaf.</summary>
    internal GradNode? GradFn { get; private set; }

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves (parameters, inputs); true for every tensor computed
    /// from one that requires a gradient while graph recording is on.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a tensor that an operation produced.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad || GradFn is not null;
        set
        {
            if (GradFn is not null)
            {
                throw new InvalidOperationException("RequiresGrad can only be set on leaf tensors; use Detach() to make a leaf from a computed tensor.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>True when no recorded operation produced this tensor.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>; null until then.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    /// <param name="requiresGrad">Whether gradients flow to this tensor.</param>
    public Tensor WithRequiresGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>A leaf tensor cut from the graph. Like PyTorch's <c>detach</c>, it shares storage with this tensor, so it
    /// costs no copy; use <see cref="Clone"/> for an independent copy.</summary>
    public Tensor Detach() => new(Data, _shape);

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires one and adds it to the leaves'
    /// <see cref="Grad"/>.
    /// </summary>
    /// <param name="gradient">The gradient of some scalar with respect to this tensor; omit for a one-element tensor (seed 1).</param>
    /// <param name="createGraph">Record the backward pass itself so that gradients can be differentiated again
    /// (needed by gradient penalties).</param>
    /// <param name="retainGraph">Keep the graph so that backward can run through it again; defaults to <paramref name="createGraph"/>.</param>
    /// <exception cref="InvalidOperationException">The tensor has no graph, or no gradient was given for a tensor of more than one element.</exception>
    public void Backward(Tensor? gradient = null, bool createGraph = false, bool? retainGraph = null)
    {
        if (gradient is null)
        {
            if (Count != 1)
            {
                throw new InvalidOperationException($"Backward without a gradient needs a one-element tensor, but this one has shape {ShapeUtil.Format(_shape)}.");
            }

            gradient = OnesLike(this);
        }
        else if (!gradient.SameShape(this))
        {
            throw new ArgumentException($"The gradient has shape {ShapeUtil.Format(gradient.Shape)} but the tensor has shape {ShapeUtil.Format(_shape)}.", nameof(gradient));
        }

        BackwardEngine.Run(this, gradient, createGraph, retainGraph ?? createGraph);
    }

    /// <summary>
    /// The gradients of this tensor with respect to <paramref name="inputs"/>, returned rather than accumulated into
    /// <see cref="Grad"/>; branches of the graph that lead to no input are skipped. This is PyTorch's
    /// <c>torch.autograd.grad</c>, which a gradient penalty needs with <paramref name="createGraph"/> set.
    /// </summary>
    /// <param name="inputs">Tensors (leaves or intermediate results) to differentiate with respect to.</param>
    /// <param name="gradient">The seed gradient; omit for a one-element tensor.</param>
    /// <param name="createGraph">Record the backward pass so that the returned gradients are differentiable.</param>
    /// <param name="retainGraph">Keep the graph for another backward; defaults to <paramref name="createGraph"/>.</param>
    /// <returns>One gradient per input, with that input's shape (zeros where the output does not depend on it).</returns>
    public Tensor[] GradientsWith(Tensor[] inputs, Tensor? gradient = null, bool createGraph = false, bool? retainGraph = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        gradient ??= Count == 1
            ? OnesLike(this)
            : throw new InvalidOperationException($"A gradient is needed for a tensor of shape {ShapeUtil.Format(_shape)}.");
        if (GradFn is null)
        {
            throw new InvalidOperationException("The tensor has no graph: it was not computed from a tensor that requires a gradient.");
        }

        return BackwardEngine.Gradients(this, gradient, inputs, createGraph, retainGraph ?? createGraph);
    }

    /// <summary>Attaches <paramref name="node"/> as this tensor's producer when recording is on and an input needs a gradient.</summary>
    internal Tensor Record(GradNode node)
    {
        GradFn = node;
        return this;
    }

    /// <summary>True when an operation on these inputs must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor? a, Tensor? b, Tensor? c) =>
        ((a?.RequiresGrad ?? false) || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false)) && GradMode.IsEnabled;

    /// <summary>Adds two gradients; differentiable when recording is on (create-graph backward).</summary>
    internal static Tensor AddGradients(Tensor a, Tensor b) => a + b;

    /// <summary>Adds <paramref name="b"/> into <paramref name="a"/> without recording and returns <paramref name="a"/>.</summary>
    internal static Tensor AddInPlace(Tensor a, Tensor b)
    {
        System.Numerics.Tensors.TensorPrimitives.Add(a.Data, b.Data, a.Data);
        return a;
    }
}
