using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Binary cross-entropy on a logit x and target t, max(x, 0) − x·t + log(1 + e^−|x|): the exponent is never positive,
/// so the result is finite for any finite logit.
/// </summary>
internal readonly struct BinaryCrossEntropyWithLogitsOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t)
    {
        var softplus = Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(x)));
        return Vector512.Max(x, Vector512<float>.Zero) - (x * t) + softplus;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t)
    {
        var softplus = Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(x)));
        return Vector256.Max(x, Vector256<float>.Zero) - (x * t) + softplus;
    }
}
