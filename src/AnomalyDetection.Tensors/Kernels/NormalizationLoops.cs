using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The vectorised loops normalisation layers are built from: moments of one contiguous run (a channel plane, a
/// layer-norm row) and the fused per-element maps of the forward and backward passes. Each loop runs Vector512 or
/// Vector256 lanes where the hardware has them, then a scalar tail.
/// </summary>
internal static class NormalizationLoops
{
    // Moments are summed in float lanes over blocks of this many elements and the blocks in double, so that long
    // runs keep float32 accuracy without a double-precision inner loop.
    private const int Block = 4096;

    /// <summary>The mean and biased variance of <paramref name="count"/> values from their moments about <paramref name="shift"/>.</summary>
    public static (float Mean, double Variance) MeanAndVariance(float shift, double sum, double sumOfSquares, int count)
    {
        var shiftedMean = sum / count;
        return ((float)(shift + shiftedMean), Math.Max(0, (sumOfSquares / count) - (shiftedMean * shiftedMean)));
    }

    /// <summary>1/√(variance + ε), in double before rounding.</summary>
    public static float InverseStd(double variance, float epsilon) => (float)(1 / Math.Sqrt(variance + epsilon));

    /// <summary>Σ(x − shift) and Σ(x − shift)². Shifting by a value near the mean keeps the variance free of cancellation.</summary>
    public static (double Sum, double SumOfSquares) ShiftedMoments(ReadOnlySpan<float> x, float shift)
    {
        double sum = 0, squares = 0;
        for (var start = 0; start < x.Length; start += Block)
        {
            var (s, q) = ShiftedMomentsBlock(x.Slice(start, Math.Min(Block, x.Length - start)), shift);
            sum += s;
            squares += q;
        }

        return (sum, squares);
    }

    /// <summary>Σg and Σg·(x − mean): the two sums every normalisation backward needs.</summary>
    public static (double Sum, double Dot) GradientMoments(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        Debug.Assert(g.Length == x.Length);
        double sum = 0, dot = 0;
        for (var start = 0; start < x.Length; start += Block)
        {
            var length = Math.Min(Block, x.Length - start);
            var (s, d) = GradientMomentsBlock(g.Slice(start, length), x.Slice(start, length), mean);
            sum += s;
            dot += d;
        }

        return (sum, dot);
    }

    /// <summary>Σg·γ and Σg·γ·(x − mean), for a layer-norm row with element-wise scale γ.</summary>
    public static (double Sum, double Dot) WeightedGradientMoments(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, float mean)
    {
        Debug.Assert(g.Length == x.Length && gamma.Length == x.Length);
        double sum = 0, dot = 0;
        for (var start = 0; start < x.Length; start += Block)
        {
            var length = Math.Min(Block, x.Length - start);
            var (s, d) = WeightedGradientMomentsBlock(g.Slice(start, length), x.Slice(start, length), gamma.Slice(start, length), mean);
            sum += s;
            dot += d;
        }

        return (sum, dot);
    }

    /// <summary>y = x·scale + shift.</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        Debug.Assert(y.Length == x.Length);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(scale);
            var vb = Vector512.Create(shift);
            for (; i + 16 <= n; i += 16)
            {
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref xr, i), vs, vb).StoreUnsafe(ref yr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(scale);
            var vb = Vector256.Create(shift);
            for (; i + 8 <= n; i += 8)
            {
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref xr, i), vs, vb).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = float.MultiplyAddEstimate(Unsafe.Add(ref xr, i), scale, shift);
        }
    }

    /// <summary>y = ((x − mean)·invStd)·γ + β with element-wise γ and β (layer norm).</summary>
    public static void NormalizeAffine(ReadOnlySpan<float> x, float mean, float invStd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        Debug.Assert(y.Length == x.Length && gamma.Length == x.Length && beta.Length == x.Length);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var gr = ref MemoryMarshal.GetReference(gamma);
        ref var br = ref MemoryMarshal.GetReference(beta);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint i = 0, n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(mean);
            var vs = Vector512.Create(invStd);
            for (; i + 16 <= n; i += 16)
            {
                var normalized = (Vector512.LoadUnsafe(ref xr, i) - vm) * vs;
                Vector512.MultiplyAddEstimate(normalized, Vector512.LoadUnsafe(ref gr, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mean);
            var vs = Vector256.Create(invStd);
            for (; i + 8 <= n; i += 8)
            {
                var normalized = (Vector256.LoadUnsafe(ref xr, i) - vm) * vs;
                Vector256.MultiplyAddEstimate(normalized, Vector256.LoadUnsafe(ref gr, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            var normalized = (Unsafe.Add(ref xr, i) - mean) * invStd;
            Unsafe.Add(ref yr, i) = float.MultiplyAddEstimate(normalized, Unsafe.Add(ref gr, i), Unsafe.Add(ref br, i));
        }
    }

    /// <summary>dx = a·g + c1·(x − mean) + c0: the closed-form input gradient of a normalisation over one group.</summary>
    public static void InputGradient(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float a, float mean, float c1, float c0, Span<float> dx)
    {
        Debug.Assert(g.Length == x.Length && dx.Length == x.Length);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(dx);
        nuint i = 0, n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vm = Vector512.Create(mean);
            var v1 = Vector512.Create(c1);
            var v0 = Vector512.Create(c0);
            for (; i + 16 <= n; i += 16)
            {
                var centered = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref xr, i) - vm, v1, v0);
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref gr, i), va, centered).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            var vm = Vector256.Create(mean);
            var v1 = Vector256.Create(c1);
            var v0 = Vector256.Create(c0);
            for (; i + 8 <= n; i += 8)
            {
                var centered = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref xr, i) - vm, v1, v0);
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref gr, i), va, centered).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            var centered = float.MultiplyAddEstimate(Unsafe.Add(ref xr, i) - mean, c1, c0);
            Unsafe.Add(ref dr, i) = float.MultiplyAddEstimate(Unsafe.Add(ref gr, i), a, centered);
        }
    }

    /// <summary>dx = invStd·g·γ + c1·(x − mean) + c0 with element-wise γ (the layer-norm input gradient).</summary>
    public static void WeightedInputGradient(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, float invStd, float mean, float c1, float c0, Span<float> dx)
    {
        Debug.Assert(g.Length == x.Length && gamma.Length == x.Length && dx.Length == x.Length);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(gamma);
        ref var dr = ref MemoryMarshal.GetReference(dx);
        nuint i = 0, n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(invStd);
            var vm = Vector512.Create(mean);
            var v1 = Vector512.Create(c1);
            var v0 = Vector512.Create(c0);
            for (; i + 16 <= n; i += 16)
            {
                var centered = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref xr, i) - vm, v1, v0);
                var scaled = Vector512.LoadUnsafe(ref gr, i) * Vector512.LoadUnsafe(ref wr, i);
                Vector512.MultiplyAddEstimate(scaled, vs, centered).StoreUnsafe(ref dr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(invStd);
            var vm = Vector256.Create(mean);
            var v1 = Vector256.Create(c1);
            var v0 = Vector256.Create(c0);
            for (; i + 8 <= n; i += 8)
            {
                var centered = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref xr, i) - vm, v1, v0);
                var scaled = Vector256.LoadUnsafe(ref gr, i) * Vector256.LoadUnsafe(ref wr, i);
                Vector256.MultiplyAddEstimate(scaled, vs, centered).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            var centered = float.MultiplyAddEstimate(Unsafe.Add(ref xr, i) - mean, c1, c0);
            Unsafe.Add(ref dr, i) = float.MultiplyAddEstimate(Unsafe.Add(ref gr, i) * Unsafe.Add(ref wr, i), invStd, centered);
        }
    }

    /// <summary>dγ += g·(x − mean)·invStd and dβ += g, element-wise over one layer-norm row.</summary>
    public static void AccumulateAffineGradients(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean, float invStd, Span<float> dGamma, Span<float> dBeta)
    {
        Debug.Assert(g.Length == x.Length && dGamma.Length == x.Length && dBeta.Length == x.Length);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(dGamma);
        ref var br = ref MemoryMarshal.GetReference(dBeta);
        nuint i = 0, n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(mean);
            var vs = Vector512.Create(invStd);
            for (; i + 16 <= n; i += 16)
            {
                var gv = Vector512.LoadUnsafe(ref gr, i);
                var normalized = (Vector512.LoadUnsafe(ref xr, i) - vm) * vs;
                Vector512.MultiplyAddEstimate(gv, normalized, Vector512.LoadUnsafe(ref wr, i)).StoreUnsafe(ref wr, i);
                (Vector512.LoadUnsafe(ref br, i) + gv).StoreUnsafe(ref br, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mean);
            var vs = Vector256.Create(invStd);
            for (; i + 8 <= n; i += 8)
            {
                var gv = Vector256.LoadUnsafe(ref gr, i);
                var normalized = (Vector256.LoadUnsafe(ref xr, i) - vm) * vs;
                Vector256.MultiplyAddEstimate(gv, normalized, Vector256.LoadUnsafe(ref wr, i)).StoreUnsafe(ref wr, i);
                (Vector256.LoadUnsafe(ref br, i) + gv).StoreUnsafe(ref br, i);
            }
        }

        for (; i < n; i++)
        {
            var gi = Unsafe.Add(ref gr, i);
            var normalized = (Unsafe.Add(ref xr, i) - mean) * invStd;
            Unsafe.Add(ref wr, i) = float.MultiplyAddEstimate(gi, normalized, Unsafe.Add(ref wr, i));
            Unsafe.Add(ref br, i) += gi;
        }
    }

    private static (float Sum, float SumOfSquares) ShiftedMomentsBlock(ReadOnlySpan<float> x, float shift)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        nuint i = 0, n = (nuint)x.Length;
        float sum = 0, squares = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vshift = Vector512.Create(shift);
            Vector512<float> vs = default, vq = default;
            for (; i + 16 <= n; i += 16)
            {
                var d = Vector512.LoadUnsafe(ref xr, i) - vshift;
                vs += d;
                vq = Vector512.MultiplyAddEstimate(d, d, vq);
            }

            sum = Vector512.Sum(vs);
            squares = Vector512.Sum(vq);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vshift = Vector256.Create(shift);
            Vector256<float> vs = default, vq = default;
            for (; i + 8 <= n; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref xr, i) - vshift;
                vs += d;
                vq = Vector256.MultiplyAddEstimate(d, d, vq);
            }

            sum = Vector256.Sum(vs);
            squares = Vector256.Sum(vq);
        }

        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref xr, i) - shift;
            sum += d;
            squares = float.MultiplyAddEstimate(d, d, squares);
        }

        return (sum, squares);
    }

    private static (float Sum, float Dot) GradientMomentsBlock(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        nuint i = 0, n = (nuint)x.Length;
        float sum = 0, dot = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(mean);
            Vector512<float> vs = default, vd = default;
            for (; i + 16 <= n; i += 16)
            {
                var gv = Vector512.LoadUnsafe(ref gr, i);
                vs += gv;
                vd = Vector512.MultiplyAddEstimate(gv, Vector512.LoadUnsafe(ref xr, i) - vm, vd);
            }

            sum = Vector512.Sum(vs);
            dot = Vector512.Sum(vd);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vm = Vector256.Create(mean);
            Vector256<float> vs = default, vd = default;
            for (; i + 8 <= n; i += 8)
            {
                var gv = Vector256.LoadUnsafe(ref gr, i);
                vs += gv;
                vd = Vector256.MultiplyAddEstimate(gv, Vector256.LoadUnsafe(ref xr, i) - vm, vd);
            }

            sum = Vector256.Sum(vs);
            dot = Vector256.Sum(vd);
        }

        for (; i < n; i++)
        {
            var gi = Unsafe.Add(ref gr, i);
            sum += gi;
            dot = float.MultiplyAddEstimate(gi, Unsafe.Add(ref xr, i) - mean, dot);
        }

        return (sum, dot);
    }

    private static (float Sum, float Dot) WeightedGradientMomentsBlock(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, float mean)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(gamma);
        nuint i = 0, n = (nuint)x.Length;
        float sum = 0, dot = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(mean);
            Vector512<float> vs = default, vd = default;
            for (; i + 16 <= n; i += 16)
            {
                var gv = Vector512.LoadUnsafe(ref gr, i) * Vector512.LoadUnsafe(ref wr, i);
                vs += gv;
                vd = Vector512.MultiplyAddEstimate(gv, Vector512.LoadUnsafe(ref xr, i) - vm, vd);
            }

            sum = Vector512.Sum(vs);
            dot = Vector512.Sum(vd);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vm = Vector256.Create(mean);
            Vector256<float> vs = default, vd = default;
            for (; i + 8 <= n; i += 8)
            {
                var gv = Vector256.LoadUnsafe(ref gr, i) * Vector256.LoadUnsafe(ref wr, i);
                vs += gv;
                vd = Vector256.MultiplyAddEstimate(gv, Vector256.LoadUnsafe(ref xr, i) - vm, vd);
            }

            sum = Vector256.Sum(vs);
            dot = Vector256.Sum(vd);
        }

        for (; i < n; i++)
        {
            var gi = Unsafe.Add(ref gr, i) * Unsafe.Add(ref wr, i);
            sum += gi;
            dot = float.MultiplyAddEstimate(gi, Unsafe.Add(ref xr, i) - mean, dot);
        }

        return (sum, dot);
    }
}
