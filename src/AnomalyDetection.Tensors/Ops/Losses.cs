using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Mean absolute error.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets of the same shape.</param>
    /// <param name="reduction">How to reduce.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(nameof(L1Loss), input, target);
        return Reduce((input - target).Abs(), reduction);
    }

    /// <summary>Mean squared error.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets of the same shape.</param>
    /// <param name="reduction">How to reduce.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(nameof(MseLoss), input, target);
        return Reduce((input - target).Square(), reduction);
    }

    /// <summary>Binary cross-entropy on logits, computed stably: max(x,0) − x·t + log(1 + e^−|x|).</summary>
    /// <param name="logits">Unnormalised scores.</param>
    /// <param name="target">Targets in [0, 1], broadcastable to the logits.</param>
    /// <param name="reduction">How to reduce.</param>
    /// <exception cref="ArgumentException">The target does not broadcast to the logits' shape.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        if (!ShapeUtil.SameShape(ShapeUtil.Broadcast(logits.Shape, target.Shape), logits.Shape))
        {
            throw new ArgumentException(
                $"BinaryCrossEntropyWithLogits needs a target that broadcasts to the logits' shape {ShapeUtil.Format(logits.Shape)}, but got {ShapeUtil.Format(target.Shape)}.",
                nameof(target));
        }

        Tensor expanded;
        using (GradMode.NoGrad())
        {
            expanded = target.BroadcastTo(logits.Shape);
        }

        var losses = Elementwise.Map(logits, expanded, default(BinaryCrossEntropyWithLogitsOperator));
        if (Tensor.ShouldRecord(logits, target))
        {
            losses.Record(new BinaryCrossEntropyWithLogitsBackward(logits, target));
        }

        return Reduce(losses, reduction);
    }

    private static void CheckSameShape(string loss, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.SameShape(target))
        {
            throw new ArgumentException(
                $"{loss} needs input and target of the same shape, but got {ShapeUtil.Format(input.Shape)} and {ShapeUtil.Format(target.Shape)}.",
                nameof(target));
        }
    }

    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    /// <summary>∂/∂x = σ(x) − t and ∂/∂t = −x, written with differentiable operations.</summary>
    private sealed class BinaryCrossEntropyWithLogitsBackward(Tensor logits, Tensor target) : GradNode(logits, target)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var x = Input(0);
            var t = Input(1);
            return
            [
                NeedsGradient(0) ? (x.Sigmoid() - t) * g : null,
                NeedsGradient(1) ? (-(x * g)).SumTo(t.Shape) : null,
            ];
        }
    }
}
