using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The AVX2 + FMA register tile: 6 rows × 16 columns held in 12 <see cref="Vector256{T}"/> accumulators.
/// </summary>
internal static unsafe class GemmKernel256
{
    public const int Mr = 6;
    public const int Nr = 16;

    /// <summary>C = alpha·(A panel · B panel) + beta·C for one full tile; C is not read when beta is 0.</summary>
    /// <remarks>Compiled fully optimised on first use: it is hot from its first call, and tier-0 code would crawl.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int depth, float* a, float* b, float* c, nint rowStride, float alpha, float beta)
    {
        Vector256<float> c0a = default, c0b = default;
        Vector256<float> c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default;
        Vector256<float> c5a = default, c5b = default;
        for (var p = 0; p < depth; p++)
        {
            var ba = Vector256.Load(b);
            var bb = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c0a = Vector256.FusedMultiplyAdd(a0, ba, c0a);
            c0b = Vector256.FusedMultiplyAdd(a0, bb, c0b);
            var a1 = Vector256.Create(a[1]);
            c1a = Vector256.FusedMultiplyAdd(a1, ba, c1a);
            c1b = Vector256.FusedMultiplyAdd(a1, bb, c1b);
            var a2 = Vector256.Create(a[2]);
            c2a = Vector256.FusedMultiplyAdd(a2, ba, c2a);
            c2b = Vector256.FusedMultiplyAdd(a2, bb, c2b);
            var a3 = Vector256.Create(a[3]);
            c3a = Vector256.FusedMultiplyAdd(a3, ba, c3a);
            c3b = Vector256.FusedMultiplyAdd(a3, bb, c3b);
            var a4 = Vector256.Create(a[4]);
            c4a = Vector256.FusedMultiplyAdd(a4, ba, c4a);
            c4b = Vector256.FusedMultiplyAdd(a4, bb, c4b);
            var a5 = Vector256.Create(a[5]);
            c5a = Vector256.FusedMultiplyAdd(a5, ba, c5a);
            c5b = Vector256.FusedMultiplyAdd(a5, bb, c5b);
            a += Mr;
            b += Nr;
        }

        var va = Vector256.Create(alpha);
        Store(c, c0a, va, beta);
        Store(c + 8, c0b, va, beta);
        c += rowStride;
        Store(c, c1a, va, beta);
        Store(c + 8, c1b, va, beta);
        c += rowStride;
        Store(c, c2a, va, beta);
        Store(c + 8, c2b, va, beta);
        c += rowStride;
        Store(c, c3a, va, beta);
        Store(c + 8, c3b, va, beta);
        c += rowStride;
        Store(c, c4a, va, beta);
        Store(c + 8, c4b, va, beta);
        c += rowStride;
        Store(c, c5a, va, beta);
        Store(c + 8, c5b, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> acc, Vector256<float> alpha, float beta)
    {
        var scaled = acc * alpha;
        Vector256.Store(beta == 0f ? scaled : Vector256.FusedMultiplyAdd(Vector256.Load(c), Vector256.Create(beta), scaled), c);
    }
}
