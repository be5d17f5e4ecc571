using System.Runtime.CompilerServices;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The portable fallback tile (4 × 4 scalars) for hardware without usable vector units.</summary>
internal static unsafe class GemmKernelScalar
{
    public const int Mr = 4;
    public const int Nr = 4;

    /// <summary>C = alpha·(A panel · B panel) + beta·C for one full tile; C is not read when beta is 0.</summary>
    /// <remarks>Compiled fully optimised on first use: it is hot from its first call, and tier-0 code would crawl.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(int depth, float* a, float* b, float* c, nint rowStride, float alpha, float beta)
    {
        var acc = stackalloc float[Mr * Nr];
        new Span<float>(acc, Mr * Nr).Clear();
        for (var p = 0; p < depth; p++, a += Mr, b += Nr)
        {
            for (var i = 0; i < Mr; i++)
            {
                var ai = a[i];
                for (var j = 0; j < Nr; j++)
                {
                    acc[(i * Nr) + j] += ai * b[j];
                }
            }
        }

        for (var i = 0; i < Mr; i++, c += rowStride)
        {
            for (var j = 0; j < Nr; j++)
            {
                var scaled = alpha * acc[(i * Nr) + j];
                c[j] = beta == 0f ? scaled : scaled + (beta * c[j]);
            }
        }
    }
}
