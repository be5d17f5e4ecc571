using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>An element-wise binary operation over spans, with the scalar-broadcast forms the layouts need.</summary>
internal interface IBinaryKernel
{
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> destination);

    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> destination);
}

internal readonly struct AddKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Add(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubtractKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MultiplyKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(y, x, d);
}

internal readonly struct DivideKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Divide(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
}

internal readonly struct MaximumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Max(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Max(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Max(y, x, d);
}

internal readonly struct MinimumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Min(x, y, d);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Min(x, y, d);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Min(y, x, d);
}

/// <summary>Applies a binary kernel over broadcast operands, in parallel for large outputs.</summary>
internal static class BroadcastBinary
{
    private const int ParallelGrain = 1 << 16;

    public static float[] Run<TKernel>(Tensor a, Tensor b, int[] outShape)
        where TKernel : IBinaryKernel
    {
        var count = ShapeUtil.Count(outShape);
        var result = TensorBufferPool.Rent(count);
        if (count == 0)
        {
            return result;
        }

        var x = a.Data;
        var y = b.Data;
        if (x.Length == count && y.Length == count)
        {
            Parallelism.For(count, ParallelGrain, (s, e) => TKernel.Apply(x.AsSpan(s, e - s), y.AsSpan(s, e - s), result.AsSpan(s, e - s)));
            return result;
        }

        if (y.Length == 1 && x.Length == count)
        {
            var v = y[0];
            Parallelism.For(count, ParallelGrain, (s, e) => TKernel.Apply(x.AsSpan(s, e - s), v, result.AsSpan(s, e - s)));
            return result;
        }

        if (x.Length == 1 && y.Length == count)
        {
            var v = x[0];
            Parallelism.For(count, ParallelGrain, (s, e) => TKernel.Apply(v, y.AsSpan(s, e - s), result.AsSpan(s, e - s)));
            return result;
        }

        var layout = StridedLayout.Create(outShape, ShapeUtil.BroadcastStrides(a.Shape, outShape), ShapeUtil.BroadcastStrides(b.Shape, outShape));
        var inner = layout.Inner;
        var innerA = layout.InnerStrideA;
        var innerB = layout.InnerStrideB;
        Parallelism.For(layout.Rows, Math.Max(1, ParallelGrain / inner), (s, e) =>
        {
            Span<float> one = stackalloc float[1];
            for (var row = s; row < e; row++)
            {
                layout.RowOffsets(row, out var oa, out var ob);
                var d = result.AsSpan(row * inner, inner);
                if (innerA == 1 && innerB == 1)
                {
                    TKernel.Apply(x.AsSpan(oa, inner), y.AsSpan(ob, inner), d);
                }
                else if (innerA == 1)
                {
                    TKernel.Apply(x.AsSpan(oa, inner), y[ob], d);
                }
                else if (innerB == 1)
                {
                    TKernel.Apply(x[oa], y.AsSpan(ob, inner), d);
                }
                else
                {
                    // Both operands broadcast along the innermost run: one value repeated.
                    TKernel.Apply([x[oa]], y[ob], one);
                    d.Fill(one[0]);
                }
            }
        });
        return result;
    }
}
