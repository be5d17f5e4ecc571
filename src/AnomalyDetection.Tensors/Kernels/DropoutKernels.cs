using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The random keep-mask of dropout.</summary>
internal static class DropoutKernels
{
    /// <summary>
    /// <paramref name="count"/> values that are 1/(1−p) with probability 1 − p and 0 otherwise. The draws are sequential,
    /// so a seed gives the same mask whatever the thread count.
    /// </summary>
    public static float[] KeepMask(RandomSource random, int count, float p)
    {
        var mask = GC.AllocateUninitializedArray<float>(count);
        random.FillUniform(mask, 0f, 1f);
        VectorLoop.Map(new KeepOperator(p, 1f / (1f - p)), mask, mask);
        return mask;
    }

    /// <summary>A uniform draw u ∈ [0, 1) → scale where u ≥ p (kept), 0 where u &lt; p (dropped).</summary>
    private readonly struct KeepOperator(float p, float scale) : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> u) =>
            Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(u, Vector512.Create(p)), Vector512.Create(scale), Vector512<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> u) =>
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(u, Vector256.Create(p)), Vector256.Create(scale), Vector256<float>.Zero);
    }
}
