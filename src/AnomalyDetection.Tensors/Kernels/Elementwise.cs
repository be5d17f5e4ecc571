namespace AnomalyDetection.Tensors.Kernels;

/// <summary>A kernel that maps one span to a destination of the same length.</summary>
internal delegate void UnarySpanKernel(ReadOnlySpan<float> x, Span<float> destination);

/// <summary>A kernel that maps two spans of equal length to a destination of that length.</summary>
internal delegate void BinarySpanKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

/// <summary>Runs element-wise kernels over whole tensors into new tensors, in parallel for large ones.</summary>
internal static class Elementwise
{
    private const int ParallelGrain = 1 << 16;

    // Kernels made of several TensorPrimitives passes re-read their destination; blocks of this size keep it in L2
    // while adding negligible per-call overhead to single-pass kernels.
    private const int Block = 1 << 14;

    public static Tensor Map(Tensor x, UnarySpanKernel kernel)
    {
        var result = Tensor.Uninitialized(x.ShapeArray());
        var source = x.Data;
        var destination = result.Data;
        Parallelism.For(source.Length, ParallelGrain, (start, end) =>
        {
            for (var i = start; i < end; i += Block)
            {
                var n = Math.Min(Block, end - i);
                kernel(source.AsSpan(i, n), destination.AsSpan(i, n));
            }
        });
        return result;
    }

    /// <summary>Maps two tensors of the same shape (typically a saved input and an incoming gradient).</summary>
    public static Tensor Map(Tensor x, Tensor y, BinarySpanKernel kernel)
    {
        Debug.Assert(x.SameShape(y));
        var result = Tensor.Uninitialized(x.ShapeArray());
        var first = x.Data;
        var second = y.Data;
        var destination = result.Data;
        Parallelism.For(first.Length, ParallelGrain, (start, end) =>
        {
            for (var i = start; i < end; i += Block)
            {
                var n = Math.Min(Block, end - i);
                kernel(first.AsSpan(i, n), second.AsSpan(i, n), destination.AsSpan(i, n));
            }
        });
        return result;
    }

    /// <summary>Applies a vector operator to every element.</summary>
    public static Tensor Map<TOp>(Tensor x, TOp op)
        where TOp : struct, IUnaryOperator =>
        Map(x, (source, destination) => VectorLoop.Map(op, source, destination));

    /// <summary>Applies a vector operator to every pair of elements of two tensors of the same shape.</summary>
    public static Tensor Map<TOp>(Tensor x, Tensor y, TOp op)
        where TOp : struct, IBinaryOperator =>
        Map(x, y, (first, second, destination) => VectorLoop.Map(op, first, second, destination));

    /// <summary>Applies a vector operator to every triple of elements of three tensors of the same shape.</summary>
    public static Tensor Map<TOp>(Tensor x, Tensor y, Tensor z, TOp op)
        where TOp : struct, ITernaryOperator
    {
        Debug.Assert(x.SameShape(y) && x.SameShape(z));
        var result = Tensor.Uninitialized(x.ShapeArray());
        var (first, second, third, destination) = (x.Data, y.Data, z.Data, result.Data);
        Parallelism.For(first.Length, ParallelGrain, (start, end) =>
            VectorLoop.Map(op, first.AsSpan(start, end - start), second.AsSpan(start, end - start), third.AsSpan(start, end - start), destination.AsSpan(start, end - start)));
        return result;
    }
}
