using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise maximum with broadcasting (the gradient goes to the larger operand; ties to this one).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Maximum(Tensor other) =>
        Binary<MaximumKernel>(this, other, static (a, b) => new SelectionBackward(a, b, takesFirstWhereFirstIsLarger: true));

    /// <summary>Element-wise minimum with broadcasting (ties go to this one).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Minimum(Tensor other) =>
        Binary<MinimumKernel>(this, other, static (a, b) => new SelectionBackward(a, b, takesFirstWhereFirstIsLarger: false));

    /// <summary>Picks <paramref name="whenTrue"/> where <paramref name="condition"/> is non-zero, else <paramref name="whenFalse"/>, with broadcasting.</summary>
    /// <param name="condition">A mask; it receives no gradient.</param>
    /// <param name="whenTrue">Values where the mask is non-zero.</param>
    /// <param name="whenFalse">Values where the mask is zero.</param>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(whenTrue);
        ArgumentNullException.ThrowIfNull(whenFalse);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.Shape, whenTrue.Shape), whenFalse.Shape);
        var result = Elementwise.Map(Expanded(condition, shape), Expanded(whenTrue, shape), Expanded(whenFalse, shape), default(WhereOperator));
        return ShouldRecord(whenTrue, whenFalse) ? result.Record(new WhereBackward(condition, whenTrue, whenFalse)) : result;
    }

    /// <summary>A mask (1 or 0) of elements greater than <paramref name="value"/>; not differentiable.</summary>
    /// <param name="value">The threshold.</param>
    public Tensor GreaterThan(float value) => Elementwise.Map(this, new GreaterThanOperator(value));

    /// <summary>The tensor's values repeated to <paramref name="shape"/>, unrecorded (the caller records the operation).</summary>
    private static Tensor Expanded(Tensor t, int[] shape)
    {
        if (ShapeUtil.SameShape(t.Shape, shape))
        {
            return t;
        }

        using (GradMode.NoGrad())
        {
            return t.BroadcastTo(shape);
        }
    }

    /// <summary>The backward of an element-wise selection between two operands: each gets the gradient where it was chosen.</summary>
    private sealed class SelectionBackward(Tensor a, Tensor b, bool takesFirstWhereFirstIsLarger) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var a = Input(0);
            var b = Input(1);

            // The choice is a constant of the inputs, so the gradients below are linear in g and differentiate again.
            var chosenFirst = takesFirstWhereFirstIsLarger
                ? new Tensor(BroadcastBinary.Run<GreaterOrEqualMaskKernel>(a, b, g.ShapeArray()), g.ShapeArray())
                : new Tensor(BroadcastBinary.Run<GreaterOrEqualMaskKernel>(b, a, g.ShapeArray()), g.ShapeArray());
            var toFirst = g * chosenFirst;
            return
            [
                NeedsGradient(0) ? toFirst.SumTo(a.Shape) : null,
                NeedsGradient(1) ? (g - toFirst).SumTo(b.Shape) : null,
            ];
        }
    }

    private sealed class WhereBackward(Tensor condition, Tensor whenTrue, Tensor whenFalse) : GradNode(whenTrue, whenFalse)
    {
        private Tensor? _condition = condition;

        public override Tensor?[] Backward(Tensor g)
        {
            var condition = _condition ?? throw new InvalidOperationException(
                $"{Name}: the graph has already been released by an earlier Backward call; pass retainGraph: true to backward twice.");
            var mask = Elementwise.Map(condition, default(NonZeroOperator));
            var toTrue = g * mask;
            return
            [
                NeedsGradient(0) ? toTrue.SumTo(Input(0).Shape) : null,
                NeedsGradient(1) ? (g - toTrue).SumTo(Input(1).Shape) : null,
            ];
        }

        protected override void ReleaseSaved() => _condition = null;
    }
}
