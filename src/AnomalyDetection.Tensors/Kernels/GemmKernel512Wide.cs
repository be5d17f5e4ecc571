using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The AVX-512 register tile for row counts that are multiples of 8 but not of 12 (64 output channels, say):
/// 8 rows × 48 columns in 24 <see cref="Vector512{T}"/> accumulators, fed per step by three vector loads of the
/// B panel and eight broadcasts from the A panel.
/// </summary>
internal static unsafe class GemmKernel512Wide
{
    public const int Mr = 8;
    public const int Nr = 48;

    /// <summary>C = alpha·(A panel · B panel) + beta·C for one full tile; C is not read when beta is 0.</summary>
    /// <remarks>Compiled fully optimised on first use: it is hot from its first call, and tier-0 code would crawl.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int depth, float* a, float* b, float* c, nint rowStride, float alpha, float beta)
    {
        Vector512<float> c0a = default, c0b = default, c0c = default;
        Vector512<float> c1a = default, c1b = default, c1c = default;
        Vector512<float> c2a = default, c2b = default, c2c = default;
        Vector512<float> c3a = default, c3b = default, c3c = default;
        Vector512<float> c4a = default, c4b = default, c4c = default;
        Vector512<float> c5a = default, c5b = default, c5c = default;
        Vector512<float> c6a = default, c6b = default, c6c = default;
        Vector512<float> c7a = default, c7b = default, c7c = default;
        for (var p = 0; p < depth; p++)
        {
            var ba = Vector512.Load(b);
            var bb = Vector512.Load(b + 16);
            var bc = Vector512.Load(b + 32);
            var a0 = Vector512.Create(a[0]);
            c0a = Vector512.FusedMultiplyAdd(a0, ba, c0a);
            c0b = Vector512.FusedMultiplyAdd(a0, bb, c0b);
            c0c = Vector512.FusedMultiplyAdd(a0, bc, c0c);
            var a1 = Vector512.Create(a[1]);
            c1a = Vector512.FusedMultiplyAdd(a1, ba, c1a);
            c1b = Vector512.FusedMultiplyAdd(a1, bb, c1b);
            c1c = Vector512.FusedMultiplyAdd(a1, bc, c1c);
            var a2 = Vector512.Create(a[2]);
            c2a = Vector512.FusedMultiplyAdd(a2, ba, c2a);
            c2b = Vector512.FusedMultiplyAdd(a2, bb, c2b);
            c2c = Vector512.FusedMultiplyAdd(a2, bc, c2c);
            var a3 = Vector512.Create(a[3]);
            c3a = Vector512.FusedMultiplyAdd(a3, ba, c3a);
            c3b = Vector512.FusedMultiplyAdd(a3, bb, c3b);
            c3c = Vector512.FusedMultiplyAdd(a3, bc, c3c);
            var a4 = Vector512.Create(a[4]);
            c4a = Vector512.FusedMultiplyAdd(a4, ba, c4a);
            c4b = Vector512.FusedMultiplyAdd(a4, bb, c4b);
            c4c = Vector512.FusedMultiplyAdd(a4, bc, c4c);
            var a5 = Vector512.Create(a[5]);
            c5a = Vector512.FusedMultiplyAdd(a5, ba, c5a);
            c5b = Vector512.FusedMultiplyAdd(a5, bb, c5b);
            c5c = Vector512.FusedMultiplyAdd(a5, bc, c5c);
            var a6 = Vector512.Create(a[6]);
            c6a = Vector512.FusedMultiplyAdd(a6, ba, c6a);
            c6b = Vector512.FusedMultiplyAdd(a6, bb, c6b);
            c6c = Vector512.FusedMultiplyAdd(a6, bc, c6c);
            var a7 = Vector512.Create(a[7]);
            c7a = Vector512.FusedMultiplyAdd(a7, ba, c7a);
            c7b = Vector512.FusedMultiplyAdd(a7, bb, c7b);
            c7c = Vector512.FusedMultiplyAdd(a7, bc, c7c);
            a += Mr;
            b += Nr;
        }

        var va = Vector512.Create(alpha);
        Store(c, c0a, va, beta);
        Store(c + 16, c0b, va, beta);
        Store(c + 32, c0c, va, beta);
        c += rowStride;
        Store(c, c1a, va, beta);
        Store(c + 16, c1b, va, beta);
        Store(c + 32, c1c, va, beta);
        c += rowStride;
        Store(c, c2a, va, beta);
        Store(c + 16, c2b, va, beta);
        Store(c + 32, c2c, va, beta);
        c += rowStride;
        Store(c, c3a, va, beta);
        Store(c + 16, c3b, va, beta);
        Store(c + 32, c3c, va, beta);
        c += rowStride;
        Store(c, c4a, va, beta);
        Store(c + 16, c4b, va, beta);
        Store(c + 32, c4c, va, beta);
        c += rowStride;
        Store(c, c5a, va, beta);
        Store(c + 16, c5b, va, beta);
        Store(c + 32, c5c, va, beta);
        c += rowStride;
        Store(c, c6a, va, beta);
        Store(c + 16, c6b, va, beta);
        Store(c + 32, c6c, va, beta);
        c += rowStride;
        Store(c, c7a, va, beta);
        Store(c + 16, c7b, va, beta);
        Store(c + 32, c7c, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> acc, Vector512<float> alpha, float beta)
    {
        var scaled = acc * alpha;
        Vector512.Store(beta == 0f ? scaled : Vector512.FusedMultiplyAdd(Vector512.Load(c), Vector512.Create(beta), scaled), c);
    }
}
