using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>max(x, 0), propagating NaN like PyTorch; a select is several times faster than an IEEE maximum.</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.Zero, x);
}

/// <summary>x for x &gt; 0, slope·x otherwise.</summary>
internal readonly struct LeakyReluOperator(float slope) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);
}

/// <summary>The derivative of leaky ReLU: 1 for x &gt; 0, slope otherwise (slope 0 gives ReLU's).</summary>
internal readonly struct LeakyReluSlopeOperator(float slope) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(slope));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(slope));
}

/// <summary>Leaky ReLU's backward from (input, output gradient): g for x &gt; 0, slope·g otherwise.</summary>
internal readonly struct LeakyReluGradientOperator(float slope) : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, g * slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * slope);
}

/// <summary>ReLU's backward from (input, output gradient): g for x &gt; 0, exactly 0 otherwise (even for infinite g).</summary>
internal readonly struct ReluGradientOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, Vector256<float>.Zero);
}

/// <summary>GELU, x·Φ(x), with Φ the standard normal CDF written through erf.</summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    internal const float InverseSqrt2 = 0.707106781f;
    internal const float InverseSqrt2Pi = 0.398942280f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x * NormalCdf(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x * NormalCdf(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> NormalCdf(Vector512<float> x)
    {
        var half = Vector512.Create(0.5f);
        return Vector512.FusedMultiplyAdd(half, default(ErfOperator).Invoke(x * InverseSqrt2), half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> NormalCdf(Vector256<float> x)
    {
        var half = Vector256.Create(0.5f);
        return Vector256.FusedMultiplyAdd(half, default(ErfOperator).Invoke(x * InverseSqrt2), half);
    }
}

/// <summary>GELU's backward from (input, output gradient): g·(Φ(x) + x·φ(x)), φ the standard normal density.</summary>
internal readonly struct GeluGradientOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        var density = Vector512.Exp(x * x * -0.5f) * GeluOperator.InverseSqrt2Pi;
        return g * Vector512.FusedMultiplyAdd(x, density, GeluOperator.NormalCdf(x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        var density = Vector256.Exp(x * x * -0.5f) * GeluOperator.InverseSqrt2Pi;
        return g * Vector256.FusedMultiplyAdd(x, density, GeluOperator.NormalCdf(x));
    }
}

/// <summary>Fused first-order backward kernels of the activations whose derivative is a function of their output.</summary>
internal static class ActivationKernels
{
    /// <summary>g·(1 − y²) for y = tanh(x).</summary>
    public static void TanhGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> destination)
    {
        TensorPrimitives.Multiply(y, y, destination);
        TensorPrimitives.Multiply(destination, g, destination);
        TensorPrimitives.Subtract(g, destination, destination);
    }

    /// <summary>g·y·(1 − y) for y = sigmoid(x).</summary>
    public static void SigmoidGradient(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> destination)
    {
        TensorPrimitives.Multiply(y, y, destination);
        TensorPrimitives.Subtract(y, destination, destination);
        TensorPrimitives.Multiply(destination, g, destination);
    }
}
