namespace AnomalyDetection.Tensors.Kernels;

/// <summary>A batch of independent row-major GEMMs C[i] = op(A[i])·op(B[i]) over contiguous output matrices.</summary>
internal static class GemmBatched
{
    /// <summary>
    /// Runs one product per entry of <paramref name="aOffsets"/>/<paramref name="bOffsets"/> (the start of each operand
    /// matrix), writing matrix i of <paramref name="c"/> at i·M·N. Large products use the threads inside each GEMM;
    /// many small ones are spread over the threads whole, one thread per product.
    /// </summary>
    public static void Run(
        bool transposeA, bool transposeB, int m, int n, int k,
        float[] a, int[] aOffsets, float[] b, int[] bOffsets, float[] c)
    {
        var lda = transposeA ? m : k;
        var ldb = transposeB ? k : n;
        var aSize = m * k;
        var bSize = k * n;
        var cSize = m * n;
        void Product(int i) => Gemm.Sgemm(
            transposeA, transposeB, m, n, k, 1f,
            a.AsSpan(aOffsets[i], aSize), lda, b.AsSpan(bOffsets[i], bSize), ldb, 0f, c.AsSpan(i * cSize, cSize), n);

        var flops = 2.0 * m * n * k;
        if (flops >= Gemm.ParallelFlops)
        {
            for (var i = 0; i < aOffsets.Length; i++)
            {
                Product(i);
            }

            return;
        }

        var perThread = (int)Math.Min(aOffsets.Length, Math.Ceiling(Gemm.ParallelFlops / Math.Max(1.0, flops)));
        Parallelism.For(aOffsets.Length, perThread, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                Product(i);
            }
        });
    }
}
