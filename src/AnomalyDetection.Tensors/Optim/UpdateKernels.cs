using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Fused element-wise optimiser updates: one pass over the parameter, gradient and state buffers, in Vector512 or
/// Vector256 registers with a scalar tail. Every path performs the same IEEE operations in the same order (separate
/// multiplies and adds, no fused multiply-add), so the result does not depend on the vector width, the split over
/// threads, or where an element falls in a vector; the order follows PyTorch's single-tensor implementations.
/// </summary>
internal static class UpdateKernels
{
    /// <summary>Below this many elements per thread an update runs on one thread.</summary>
    private const int ParallelGrain = 1 << 15;

    /// <summary>Adam and AdamW. Per element: p ← p·decay; g ← grad + l2·p; m ← m·β1 + (1−β1)·g; v ← v·β2 + (1−β2)·g·g;
    /// p ← p − stepSize · m / (√v / √(1−β2ᵗ) + ε).</summary>
    public static void Adam(float[] parameter, float[] gradient, float[] expAvg, float[] expAvgSq, in AdamScalars s)
    {
        var scalars = s;
        Parallelism.For(parameter.Length, ParallelGrain, (start, end) =>
            Adam(parameter.AsSpan(start, end - start), gradient.AsSpan(start, end - start), expAvg.AsSpan(start, end - start),
                expAvgSq.AsSpan(start, end - start), scalars));
    }

    /// <summary>RMSprop. Per element: g ← grad + wd·p; a ← a·α + (1−α)·g·g; when centered, ḡ ← ḡ·α + (1−α)·g and
    /// d ← √(a − ḡ·ḡ) + ε, else d ← √a + ε; with momentum b ← b·μ + g/d and p ← p − lr·b, else p ← p − lr·g/d.</summary>
    public static void RMSprop(float[] parameter, float[] gradient, float[] squareAvg, float[]? gradAvg, float[]? momentumBuffer, in RMSpropScalars s)
    {
        var scalars = s;
        Parallelism.For(parameter.Length, ParallelGrain, (start, end) =>
        {
            var n = end - start;
            var p = parameter.AsSpan(start, n);
            var g = gradient.AsSpan(start, n);
            var a = squareAvg.AsSpan(start, n);
            switch (gradAvg, momentumBuffer)
            {
                case (null, null):
                    RMSprop<Off, Off>(p, g, a, default, default, scalars);
                    break;
                case (null, { } b):
                    RMSprop<Off, On>(p, g, a, default, b.AsSpan(start, n), scalars);
                    break;
                case ({ } c, null):
                    RMSprop<On, Off>(p, g, a, c.AsSpan(start, n), default, scalars);
                    break;
                case ({ } c, { } b):
                    RMSprop<On, On>(p, g, a, c.AsSpan(start, n), b.AsSpan(start, n), scalars);
                    break;
            }
        });
    }

    /// <summary>SGD. Per element: d ← grad + wd·p; with a buffer b ← b·μ_b + c·d, then d ← d + μ·b (Nesterov) or d ← b;
    /// finally p ← p − lr·d. The first step passes μ_b = 0 and c = 1 so that the zeroed buffer becomes d exactly.</summary>
    public static void Sgd(float[] parameter, float[] gradient, float[]? momentumBuffer, in SgdScalars s)
    {
        var scalars = s;
        Parallelism.For(parameter.Length, ParallelGrain, (start, end) =>
        {
            var n = end - start;
            var p = parameter.AsSpan(start, n);
            var g = gradient.AsSpan(start, n);
            if (momentumBuffer is null)
            {
                Sgd<Off, Off>(p, g, default, scalars);
            }
            else if (scalars.Nesterov)
            {
                Sgd<On, On>(p, g, momentumBuffer.AsSpan(start, n), scalars);
            }
            else
            {
                Sgd<On, Off>(p, g, momentumBuffer.AsSpan(start, n), scalars);
            }
        });
    }

    private static void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamScalars s)
    {
        ref var pr = ref MemoryMarshal.GetReference(p);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var mr = ref MemoryMarshal.GetReference(m);
        ref var vr = ref MemoryMarshal.GetReference(v);
        var n = p.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector512.LoadUnsafe(ref pr, x) * s.Decay;
                var gv = Vector512.LoadUnsafe(ref gr, x) + (pv * s.L2);
                var mv = (Vector512.LoadUnsafe(ref mr, x) * s.Beta1) + (gv * s.OneMinusBeta1);
                var vv = (Vector512.LoadUnsafe(ref vr, x) * s.Beta2) + (gv * s.OneMinusBeta2 * gv);
                var denominator = (Vector512.Sqrt(vv) / s.BiasCorrection2Sqrt) + Vector512.Create(s.Epsilon);
                mv.StoreUnsafe(ref mr, x);
                vv.StoreUnsafe(ref vr, x);
                (pv + (s.NegativeStepSize * (mv / denominator))).StoreUnsafe(ref pr, x);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector256.LoadUnsafe(ref pr, x) * s.Decay;
                var gv = Vector256.LoadUnsafe(ref gr, x) + (pv * s.L2);
                var mv = (Vector256.LoadUnsafe(ref mr, x) * s.Beta1) + (gv * s.OneMinusBeta1);
                var vv = (Vector256.LoadUnsafe(ref vr, x) * s.Beta2) + (gv * s.OneMinusBeta2 * gv);
                var denominator = (Vector256.Sqrt(vv) / s.BiasCorrection2Sqrt) + Vector256.Create(s.Epsilon);
                mv.StoreUnsafe(ref mr, x);
                vv.StoreUnsafe(ref vr, x);
                (pv + (s.NegativeStepSize * (mv / denominator))).StoreUnsafe(ref pr, x);
            }
        }

        for (; i < n; i++)
        {
            var pv = p[i] * s.Decay;
            var gv = g[i] + (pv * s.L2);
            var mv = (m[i] * s.Beta1) + (gv * s.OneMinusBeta1);
            var vv = (v[i] * s.Beta2) + (gv * s.OneMinusBeta2 * gv);
            var denominator = (MathF.Sqrt(vv) / s.BiasCorrection2Sqrt) + s.Epsilon;
            m[i] = mv;
            v[i] = vv;
            p[i] = pv + (s.NegativeStepSize * (mv / denominator));
        }
    }

    private static void RMSprop<TCentered, TMomentum>(Span<float> p, ReadOnlySpan<float> g, Span<float> a, Span<float> c, Span<float> b, in RMSpropScalars s)
        where TCentered : struct, IFlag
        where TMomentum : struct, IFlag
    {
        ref var pr = ref MemoryMarshal.GetReference(p);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var br = ref MemoryMarshal.GetReference(b);
        var n = p.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector512.LoadUnsafe(ref pr, x);
                var gv = Vector512.LoadUnsafe(ref gr, x) + (pv * s.WeightDecay);
                var av = (Vector512.LoadUnsafe(ref ar, x) * s.Alpha) + (gv * s.OneMinusAlpha * gv);
                av.StoreUnsafe(ref ar, x);
                Vector512<float> denominator;
                if (TCentered.IsSet)
                {
                    var cv = (Vector512.LoadUnsafe(ref cr, x) * s.Alpha) + (gv * s.OneMinusAlpha);
                    cv.StoreUnsafe(ref cr, x);
                    denominator = Vector512.Sqrt(av - (cv * cv)) + Vector512.Create(s.Epsilon);
                }
                else
                {
                    denominator = Vector512.Sqrt(av) + Vector512.Create(s.Epsilon);
                }

                if (TMomentum.IsSet)
                {
                    var bv = (Vector512.LoadUnsafe(ref br, x) * s.Momentum) + (gv / denominator);
                    bv.StoreUnsafe(ref br, x);
                    (pv + (bv * s.NegativeLearningRate)).StoreUnsafe(ref pr, x);
                }
                else
                {
                    (pv + (s.NegativeLearningRate * (gv / denominator))).StoreUnsafe(ref pr, x);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector256.LoadUnsafe(ref pr, x);
                var gv = Vector256.LoadUnsafe(ref gr, x) + (pv * s.WeightDecay);
                var av = (Vector256.LoadUnsafe(ref ar, x) * s.Alpha) + (gv * s.OneMinusAlpha * gv);
                av.StoreUnsafe(ref ar, x);
                Vector256<float> denominator;
                if (TCentered.IsSet)
                {
                    var cv = (Vector256.LoadUnsafe(ref cr, x) * s.Alpha) + (gv * s.OneMinusAlpha);
                    cv.StoreUnsafe(ref cr, x);
                    denominator = Vector256.Sqrt(av - (cv * cv)) + Vector256.Create(s.Epsilon);
                }
                else
                {
                    denominator = Vector256.Sqrt(av) + Vector256.Create(s.Epsilon);
                }

                if (TMomentum.IsSet)
                {
                    var bv = (Vector256.LoadUnsafe(ref br, x) * s.Momentum) + (gv / denominator);
                    bv.StoreUnsafe(ref br, x);
                    (pv + (bv * s.NegativeLearningRate)).StoreUnsafe(ref pr, x);
                }
                else
                {
                    (pv + (s.NegativeLearningRate * (gv / denominator))).StoreUnsafe(ref pr, x);
                }
            }
        }

        for (; i < n; i++)
        {
            var pv = p[i];
            var gv = g[i] + (pv * s.WeightDecay);
            var av = (a[i] * s.Alpha) + (gv * s.OneMinusAlpha * gv);
            a[i] = av;
            float denominator;
            if (TCentered.IsSet)
            {
                var cv = (c[i] * s.Alpha) + (gv * s.OneMinusAlpha);
                c[i] = cv;
                denominator = MathF.Sqrt(av - (cv * cv)) + s.Epsilon;
            }
            else
            {
                denominator = MathF.Sqrt(av) + s.Epsilon;
            }

            if (TMomentum.IsSet)
            {
                var bv = (b[i] * s.Momentum) + (gv / denominator);
                b[i] = bv;
                p[i] = pv + (bv * s.NegativeLearningRate);
            }
            else
            {
                p[i] = pv + (s.NegativeLearningRate * (gv / denominator));
            }
        }
    }

    private static void Sgd<TMomentum, TNesterov>(Span<float> p, ReadOnlySpan<float> g, Span<float> b, in SgdScalars s)
        where TMomentum : struct, IFlag
        where TNesterov : struct, IFlag
    {
        ref var pr = ref MemoryMarshal.GetReference(p);
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var br = ref MemoryMarshal.GetReference(b);
        var n = p.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector512.LoadUnsafe(ref pr, x);
                var dv = Vector512.LoadUnsafe(ref gr, x) + (pv * s.WeightDecay);
                if (TMomentum.IsSet)
                {
                    var bv = (Vector512.LoadUnsafe(ref br, x) * s.BufferMomentum) + (dv * s.GradientScale);
                    bv.StoreUnsafe(ref br, x);
                    dv = TNesterov.IsSet ? dv + (bv * s.Momentum) : bv;
                }

                (pv + (dv * s.NegativeLearningRate)).StoreUnsafe(ref pr, x);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = (nuint)i;
                var pv = Vector256.LoadUnsafe(ref pr, x);
                var dv = Vector256.LoadUnsafe(ref gr, x) + (pv * s.WeightDecay);
                if (TMomentum.IsSet)
                {
                    var bv = (Vector256.LoadUnsafe(ref br, x) * s.BufferMomentum) + (dv * s.GradientScale);
                    bv.StoreUnsafe(ref br, x);
                    dv = TNesterov.IsSet ? dv + (bv * s.Momentum) : bv;
                }

                (pv + (dv * s.NegativeLearningRate)).StoreUnsafe(ref pr, x);
            }
        }

        for (; i < n; i++)
        {
            var pv = p[i];
            var dv = g[i] + (pv * s.WeightDecay);
            if (TMomentum.IsSet)
            {
                var bv = (b[i] * s.BufferMomentum) + (dv * s.GradientScale);
                b[i] = bv;
                dv = TNesterov.IsSet ? dv + (bv * s.Momentum) : bv;
            }

            p[i] = pv + (dv * s.NegativeLearningRate);
        }
    }

    /// <summary>A compile-time switch: the JIT specialises each generic instantiation and drops the dead branch.</summary>
    private interface IFlag
    {
        static abstract bool IsSet { get; }
    }

    private readonly struct On : IFlag
    {
        public static bool IsSet
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => true;
        }
    }

    private readonly struct Off : IFlag
    {
        public static bool IsSet
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => false;
        }
    }
}
