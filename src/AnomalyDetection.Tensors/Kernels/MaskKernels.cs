using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>1 where x &gt; threshold, else 0.</summary>
internal readonly struct GreaterThanOperator(float threshold) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(threshold)), Vector512<float>.One, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(threshold)), Vector256<float>.One, Vector256<float>.Zero);
}

/// <summary>1 where min ≤ x ≤ max, else 0: where a clamp passes its gradient.</summary>
internal readonly struct InRangeOperator(float min, float max) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(x, Vector512.Create(min)) & Vector512.LessThanOrEqual(x, Vector512.Create(max)),
            Vector512<float>.One,
            Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(x, Vector256.Create(min)) & Vector256.LessThanOrEqual(x, Vector256.Create(max)),
            Vector256<float>.One,
            Vector256<float>.Zero);
}

/// <summary>1 where x is non-zero (NaN included), else 0: a condition tensor turned into a 0/1 mask.</summary>
internal readonly struct NonZeroOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512<float>.Zero, Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256<float>.Zero, Vector256<float>.One);
}

/// <summary>Selects y where the condition x is non-zero, else z.</summary>
internal readonly struct WhereOperator : ITernaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> condition, Vector512<float> whenTrue, Vector512<float> whenFalse) =>
        Vector512.ConditionalSelect(Vector512.Equals(condition, Vector512<float>.Zero), whenFalse, whenTrue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> condition, Vector256<float> whenTrue, Vector256<float> whenFalse) =>
        Vector256.ConditionalSelect(Vector256.Equals(condition, Vector256<float>.Zero), whenFalse, whenTrue);
}

/// <summary>1 where x ≥ y, else 0; a broadcasting kernel so that a mask can be taken over two broadcast operands.</summary>
internal readonly struct GreaterOrEqualMaskKernel : IBinaryKernel, IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, y), Vector512<float>.One, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, y), Vector256<float>.One, Vector256<float>.Zero);

    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        VectorLoop.Map(default(GreaterOrEqualMaskKernel), x, y, destination);

    // The scalar forms broadcast the scalar into the destination first; the vector loop reads each element of it
    // before writing that element, so the in-place pass is safe.
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination)
    {
        destination.Fill(y);
        Apply(x, destination, destination);
    }

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination)
    {
        destination.Fill(x);
        Apply(destination, y, destination);
    }
}
