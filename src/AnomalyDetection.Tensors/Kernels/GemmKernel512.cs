using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The AVX-512 register tile: 12 rows × 32 columns held in 24 <see cref="Vector512{T}"/> accumulators, fed per
/// step by two vector loads of the B panel and twelve broadcasts from the A panel.
/// </summary>
internal static unsafe class GemmKernel512
{
    public const int Mr = 12;
    public const int Nr = 32;

    /// <summary>C = alpha·(A panel · B panel) + beta·C for one full tile; C is not read when beta is 0.</summary>
    /// <remarks>Compiled fully optimised on first use: it is hot from its first call, and tier-0 code would crawl.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int depth, float* a, float* b, float* c, nint rowStride, float alpha, float beta)
    {
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        Vector512<float> c8a = default, c8b = default;
        Vector512<float> c9a = default, c9b = default;
        Vector512<float> c10a = default, c10b = default;
        Vector512<float> c11a = default, c11b = default;
        for (var p = 0; p < depth; p++)
        {
            var ba = Vector512.Load(b);
            var bb = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c0a = Vector512.FusedMultiplyAdd(a0, ba, c0a);
            c0b = Vector512.FusedMultiplyAdd(a0, bb, c0b);
            var a1 = Vector512.Create(a[1]);
            c1a = Vector512.FusedMultiplyAdd(a1, ba, c1a);
            c1b = Vector512.FusedMultiplyAdd(a1, bb, c1b);
            var a2 = Vector512.Create(a[2]);
            c2a = Vector512.FusedMultiplyAdd(a2, ba, c2a);
            c2b = Vector512.FusedMultiplyAdd(a2, bb, c2b);
            var a3 = Vector512.Create(a[3]);
            c3a = Vector512.FusedMultiplyAdd(a3, ba, c3a);
            c3b = Vector512.FusedMultiplyAdd(a3, bb, c3b);
            var a4 = Vector512.Create(a[4]);
            c4a = Vector512.FusedMultiplyAdd(a4, ba, c4a);
            c4b = Vector512.FusedMultiplyAdd(a4, bb, c4b);
            var a5 = Vector512.Create(a[5]);
            c5a = Vector512.FusedMultiplyAdd(a5, ba, c5a);
            c5b = Vector512.FusedMultiplyAdd(a5, bb, c5b);
            var a6 = Vector512.Create(a[6]);
            c6a = Vector512.FusedMultiplyAdd(a6, ba, c6a);
            c6b = Vector512.FusedMultiplyAdd(a6, bb, c6b);
            var a7 = Vector512.Create(a[7]);
            c7a = Vector512.FusedMultiplyAdd(a7, ba, c7a);
            c7b = Vector512.FusedMultiplyAdd(a7, bb, c7b);
            var a8 = Vector512.Create(a[8]);
            c8a = Vector512.FusedMultiplyAdd(a8, ba, c8a);
            c8b = Vector512.FusedMultiplyAdd(a8, bb, c8b);
            var a9 = Vector512.Create(a[9]);
            c9a = Vector512.FusedMultiplyAdd(a9, ba, c9a);
            c9b = Vector512.FusedMultiplyAdd(a9, bb, c9b);
            var a10 = Vector512.Create(a[10]);
            c10a = Vector512.FusedMultiplyAdd(a10, ba, c10a);
            c10b = Vector512.FusedMultiplyAdd(a10, bb, c10b);
            var a11 = Vector512.Create(a[11]);
            c11a = Vector512.FusedMultiplyAdd(a11, ba, c11a);
            c11b = Vector512.FusedMultiplyAdd(a11, bb, c11b);
            a += Mr;
            b += Nr;
        }

        var va = Vector512.Create(alpha);
        Store(c, c0a, va, beta);
        Store(c + 16, c0b, va, beta);
        c += rowStride;
        Store(c, c1a, va, beta);
        Store(c + 16, c1b, va, beta);
        c += rowStride;
        Store(c, c2a, va, beta);
        Store(c + 16, c2b, va, beta);
        c += rowStride;
        Store(c, c3a, va, beta);
        Store(c + 16, c3b, va, beta);
        c += rowStride;
        Store(c, c4a, va, beta);
        Store(c + 16, c4b, va, beta);
        c += rowStride;
        Store(c, c5a, va, beta);
        Store(c + 16, c5b, va, beta);
        c += rowStride;
        Store(c, c6a, va, beta);
        Store(c + 16, c6b, va, beta);
        c += rowStride;
        Store(c, c7a, va, beta);
        Store(c + 16, c7b, va, beta);
        c += rowStride;
        Store(c, c8a, va, beta);
        Store(c + 16, c8b, va, beta);
        c += rowStride;
        Store(c, c9a, va, beta);
        Store(c + 16, c9b, va, beta);
        c += rowStride;
        Store(c, c10a, va, beta);
        Store(c + 16, c10b, va, beta);
        c += rowStride;
        Store(c, c11a, va, beta);
        Store(c + 16, c11b, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> acc, Vector512<float> alpha, float beta)
    {
        var scaled = acc * alpha;
        Vector512.Store(beta == 0f ? scaled : Vector512.FusedMultiplyAdd(Vector512.Load(c), Vector512.Create(beta), scaled), c);
    }
}
