using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The sign of x: 1, −1, or 0 at zero (and for NaN), the derivative of |x| as PyTorch defines it.</summary>
internal readonly struct SignOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -Vector512<float>.One, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -Vector256<float>.One, Vector256<float>.Zero));
}

/// <summary>|x|'s backward from (input, output gradient): g·sign(x), without a multiplication.</summary>
internal readonly struct AbsGradientOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -g, Vector512<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -g, Vector256<float>.Zero));
}

/// <summary>Forward and fused first-order backward kernels of the power functions.</summary>
internal static class UnaryKernels
{
    public static void Square(ReadOnlySpan<float> x, Span<float> destination) => TensorPrimitives.Multiply(x, x, destination);

    /// <summary>2·x·g.</summary>
    public static void SquareGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> destination)
    {
        TensorPrimitives.Multiply(x, g, destination);
        TensorPrimitives.Multiply(destination, 2f, destination);
    }

    /// <summary>g / (2·y) for y = √x.</summary>
    public static void SqrtGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> destination)
    {
        TensorPrimitives.Divide(g, y, destination);
        TensorPrimitives.Multiply(destination, 0.5f, destination);
    }

    /// <summary>g·p·x^(p−1).</summary>
    public static void PowGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float exponent, Span<float> destination)
    {
        TensorPrimitives.Pow(x, exponent - 1f, destination);
        TensorPrimitives.Multiply(destination, g, destination);
        TensorPrimitives.Multiply(destination, exponent, destination);
    }
}
