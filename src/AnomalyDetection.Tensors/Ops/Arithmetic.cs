using System.Numerics.Tensors;
using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with NumPy broadcasting.</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Add(Tensor other) => Binary<AddKernel>(this, other, static (a, b) => new AddBackward(a, b));

    /// <summary>Element-wise difference with broadcasting.</summary>
    /// <param name="other">The subtrahend.</param>
    public Tensor Subtract(Tensor other) => Binary<SubtractKernel>(this, other, static (a, b) => new SubtractBackward(a, b));

    /// <summary>Element-wise product with broadcasting.</summary>
    /// <param name="other">The other factor.</param>
    public Tensor Multiply(Tensor other) => Binary<MultiplyKernel>(this, other, static (a, b) => new MultiplyBackward(a, b));

    /// <summary>Element-wise quotient with broadcasting.</summary>
    /// <param name="other">The divisor.</param>
    public Tensor Divide(Tensor other) => Binary<DivideKernel>(this, other, static (a, b) => new DivideBackward(a, b));

    /// <summary>Adds a constant to every element.</summary>
    /// <param name="value">The constant.</param>
    public Tensor Add(float value) => Add(Scalar(value));

    /// <summary>Multiplies every element by a constant.</summary>
    /// <param name="value">The constant.</param>
    public Tensor Multiply(float value) => Multiply(Scalar(value));

    /// <summary>The element-wise negation.</summary>
    public Tensor Negate() => Multiply(-1f);

    /// <inheritdoc cref="Add(Tensor)"/>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <inheritdoc cref="Subtract(Tensor)"/>
    public static Tensor operator -(Tensor a, Tensor b) => a.Subtract(b);

    /// <inheritdoc cref="Multiply(Tensor)"/>
    public static Tensor operator *(Tensor a, Tensor b) => a.Multiply(b);

    /// <inheritdoc cref="Divide(Tensor)"/>
    public static Tensor operator /(Tensor a, Tensor b) => a.Divide(b);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Add(b);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Add(a);

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Add(-b);

    /// <summary>Subtracts every element from a constant.</summary>
    public static Tensor operator -(float a, Tensor b) => Scalar(a).Subtract(b);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Multiply(b);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Multiply(a);

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Multiply(1f / b);

    /// <summary>Divides a constant by every element.</summary>
    public static Tensor operator /(float a, Tensor b) => Scalar(a).Divide(b);

    /// <inheritdoc cref="Negate"/>
    public static Tensor operator -(Tensor a) => a.Negate();

    private static Tensor Binary<TKernel>(Tensor a, Tensor b, Func<Tensor, Tensor, GradNode> backward)
        where TKernel : IBinaryKernel
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = a.SameShape(b) ? a.ShapeArray() : ShapeUtil.Broadcast(a.Shape, b.Shape);
        var result = new Tensor(BroadcastBinary.Run<TKernel>(a, b, shape), shape);
        return ShouldRecord(a, b) ? result.Record(backward(a, b)) : result;
    }

    private sealed class AddBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [NeedsGradient(0) ? g.SumTo(Input(0).Shape) : null, NeedsGradient(1) ? g.SumTo(Input(1).Shape) : null];
    }

    private sealed class SubtractBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [NeedsGradient(0) ? g.SumTo(Input(0).Shape) : null, NeedsGradient(1) ? (-g).SumTo(Input(1).Shape) : null];
    }

    private sealed class MultiplyBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g) =>
        [
            NeedsGradient(0) ? (g * Input(1)).SumTo(Input(0).Shape) : null,
            NeedsGradient(1) ? (g * Input(0)).SumTo(Input(1).Shape) : null,
        ];
    }

    private sealed class DivideBackward(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var b = Input(1);
            return
            [
                NeedsGradient(0) ? (g / b).SumTo(Input(0).Shape) : null,
                NeedsGradient(1) ? (-(g * Input(0)) / (b * b)).SumTo(b.Shape) : null,
            ];
        }
    }

    /// <summary>
    /// Sums over the dimensions along which <paramref name="shape"/> is broadcast to this tensor's shape, giving a tensor
    /// of <paramref name="shape"/>: the adjoint of broadcasting.
    /// </summary>
    /// <param name="shape">A shape that broadcasts to this tensor's shape.</param>
    public Tensor SumTo(ReadOnlySpan<int> shape)
    {
        if (ShapeUtil.SameShape(shape, _shape))
        {
            return this;
        }

        var target = shape.ToArray();
        if (!ShapeUtil.SameShape(ShapeUtil.Broadcast(target, _shape), _shape))
        {
            throw new ArgumentException($"Shape {ShapeUtil.Format(target)} does not broadcast to {ShapeUtil.Format(_shape)}.", nameof(shape));
        }

        var result = new Tensor(ReduceKernels.SumTo(this, target), target);
        return ShouldRecord(this) ? result.Record(new SumToBackward(this)) : result;
    }

    /// <summary>Repeats this tensor along broadcast dimensions to <paramref name="shape"/> (NumPy broadcasting).</summary>
    /// <param name="shape">The target shape.</param>
    public Tensor BroadcastTo(ReadOnlySpan<int> shape)
    {
        if (ShapeUtil.SameShape(shape, _shape))
        {
            return this;
        }

        var target = shape.ToArray();
        if (!ShapeUtil.SameShape(ShapeUtil.Broadcast(_shape, target), target))
        {
            throw new ArgumentException($"Shape {ShapeUtil.Format(_shape)} does not broadcast to {ShapeUtil.Format(target)}.", nameof(shape));
        }

        var zero = Scalar(0f);
        var result = new Tensor(BroadcastBinary.Run<AddKernel>(this, zero, target), target);
        return ShouldRecord(this) ? result.Record(new BroadcastToBackward(this)) : result;
    }

    private sealed class SumToBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g) => [g.BroadcastTo(Input(0).Shape)];
    }

    private sealed class BroadcastToBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g) => [g.SumTo(Input(0).Shape)];
    }

    /// <summary>The sum of all elements, as a zero-dimensional tensor.</summary>
    public Tensor Sum() => SumTo([]);

    /// <summary>The mean of all elements, as a zero-dimensional tensor.</summary>
    public Tensor Mean() => Sum() * (1f / Count);

    /// <summary>Sums over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce; negative values count from the end.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var kept = ReducedShape(dims);
        var summed = SumTo(kept);
        return keepDim ? summed : summed.Reshape(DropReduced(kept, dims));
    }

    /// <summary>Averages over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce; negative values count from the end.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        var kept = ReducedShape(dims);
        var n = Count / Math.Max(1, ShapeUtil.Count(kept));
        return Sum(dims, keepDim) * (1f / n);
    }

    private int[] ReducedShape(int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var kept = ShapeArray();
        foreach (var d in dims)
        {
            kept[ShapeUtil.NormalizeDim(d, Rank)] = 1;
        }

        return kept;
    }

    private int[] DropReduced(int[] kept, int[] dims)
    {
        var drop = new bool[Rank];
        foreach (var d in dims)
        {
            drop[ShapeUtil.NormalizeDim(d, Rank)] = true;
        }

        var result = new List<int>(Rank);
        for (var i = 0; i < Rank; i++)
        {
            if (!drop[i])
            {
                result.Add(kept[i]);
            }
        }

        return [.. result];
    }

    /// <summary>The same elements with a new shape; one dimension may be -1 to infer it.</summary>
    /// <param name="shape">The new shape; its element count must match.</param>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var resolved = (int[])shape.Clone();
        var infer = Array.IndexOf(resolved, -1);
        if (infer >= 0)
        {
            var known = 1;
            for (var i = 0; i < resolved.Length; i++)
            {
                if (i != infer)
                {
                    known *= resolved[i];
                }
            }

            if (known == 0 || Count % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(_shape)} to {ShapeUtil.Format(shape)}.", nameof(shape));
            }

            resolved[infer] = Count / known;
        }

        if (ShapeUtil.CheckedCount(resolved) != Count)
        {
            throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(_shape)} ({Count} elements) to {ShapeUtil.Format(shape)}.", nameof(shape));
        }

        // Reshape shares storage: tensors are contiguous, and operations never write into their inputs.
        var result = new Tensor(Data, resolved);
        return ShouldRecord(this) ? result.Record(new ReshapeBackward(this)) : result;
    }

    private sealed class ReshapeBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g) => [g.Reshape(Input(0).ShapeArray())];
    }
}

/// <summary>Reductions behind <see cref="Tensor.SumTo"/>.</summary>
internal static class ReduceKernels
{
    public static float[] SumTo(Tensor x, int[] target)
    {
        var source = x.Data;
        var count = ShapeUtil.Count(target);
        if (count == 1)
        {
            return [SumAll(source)];
        }

        var result = TensorBufferPool.RentCleared(count);
        if (source.Length == 0)
        {
            return result;
        }

        var layout = StridedLayout.Create(x.Shape, ShapeUtil.ContiguousStrides(x.Shape), ShapeUtil.BroadcastStrides(target, x.Shape));
        var inner = layout.Inner;
        var innerOut = layout.InnerStrideB;

        // Reduction over the innermost run: each row's sum is computed in parallel into its own slot, then the slots
        // are added into the outputs in row order. Several rows may feed one output (when outer dimensions are reduced
        // too), so adding in the parallel loop would race; the fixed order also keeps results reproducible.
        if (innerOut == 0)
        {
            var rowSums = new float[layout.Rows];
            Parallelism.For(layout.Rows, Math.Max(1, (1 << 15) / inner), (s, e) =>
            {
                for (var row = s; row < e; row++)
                {
                    layout.RowOffsets(row, out var ox, out _);
                    rowSums[row] = TensorPrimitives.Sum(source.AsSpan(ox, inner));
                }
            });
            for (var row = 0; row < rowSums.Length; row++)
            {
                layout.RowOffsets(row, out _, out var oo);
                result[oo] += rowSums[row];
            }

            return result;
        }

        for (var row = 0; row < layout.Rows; row++)
        {
            layout.RowOffsets(row, out var ox, out var oo);
            var d = result.AsSpan(oo, inner);
            TensorPrimitives.Add(d, source.AsSpan(ox, inner), d);
        }

        return result;
    }

    /// <summary>A sum in fixed-size blocks added in double precision: reproducible and accurate for large tensors.</summary>
    public static float SumAll(ReadOnlySpan<float> values)
    {
        const int Block = 4096;
        double total = 0;
        for (var i = 0; i < values.Length; i += Block)
        {
            total += TensorPrimitives.Sum(values.Slice(i, Math.Min(Block, values.Length - i)));
        }

        return (float)total;
    }
}
