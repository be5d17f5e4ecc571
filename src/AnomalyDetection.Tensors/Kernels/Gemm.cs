using System.Buffers;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Single-precision matrix multiplication, C = alpha·op(A)·op(B) + beta·C, in the Goto/BLIS scheme: B is packed into
/// column panels per (depth block, column block), A into row panels per row block, and a register-tile micro-kernel
/// multiplies one A panel by one B panel at a time.
/// </summary>
/// <remarks>
/// Threads split the larger of M and N statically, and each packs its own panels, so every element of C is computed
/// by one thread in one fixed order: results are bit-reproducible and independent of the thread count.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Below this many floating-point operations a GEMM runs on the calling thread.</summary>
    public const double ParallelFlops = 2e6;

    /// <summary>C = alpha·op(A)·op(B) + beta·C for row-major matrices; C is not read when beta is 0.</summary>
    /// <param name="transposeA">Whether A is stored as K × M (op(A) = Aᵀ).</param>
    /// <param name="transposeB">Whether B is stored as N × K (op(B) = Bᵀ).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A as stored.</param>
    /// <param name="b">B, row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C, row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C.</param>
    public static void Sgemm(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(a.Length, transposeA ? k : m, transposeA ? m : k, lda, "A");
        CheckMatrix(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, "B");
        CheckMatrix(c.Length, m, n, ldc, "C");
        fixed (float* pa = a, pb = b, pc = c)
        {
            var left = transposeA ? GemmMatrix.Strided(pa, 1, lda) : GemmMatrix.Strided(pa, lda, 1);
            var right = transposeB ? GemmMatrix.Strided(pb, 1, ldb) : GemmMatrix.Strided(pb, ldb, 1);
            Run(left, right, GemmMatrix.Strided(pc, ldc, 1), m, n, k, alpha, beta);
        }
    }

    /// <summary>Runs an M × N × K product over any operand and output representations.</summary>
    public static void Run<TLeft, TRight, TOutput>(TLeft a, TRight b, TOutput c, int m, int n, int k, float alpha, float beta)
        where TLeft : struct, IGemmLeftOperand
        where TRight : struct, IGemmRightOperand
        where TOutput : struct, IGemmOutput =>
        Run(a, b, c, m, n, k, alpha, beta, GemmMicroKernel.For(m, n), threaded: true);

    /// <summary>
    /// Runs an M × N × K product with the given kernel; with <paramref name="threaded"/> false it stays on the calling
    /// thread (for callers that split the work across threads themselves).
    /// </summary>
    public static void Run<TLeft, TRight, TOutput>(
        TLeft a, TRight b, TOutput c, int m, int n, int k, float alpha, float beta, GemmMicroKernel kernel, bool threaded)
        where TLeft : struct, IGemmLeftOperand
        where TRight : struct, IGemmRightOperand
        where TOutput : struct, IGemmOutput
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        var rowGrain = c.RowGrain == 1 ? kernel.Mr : c.RowGrain;
        var columnGrain = c.ColumnGrain == 1 ? kernel.Nr : c.ColumnGrain;
        var rowUnits = DivCeil(m, rowGrain);
        var columnUnits = DivCeil(n, columnGrain);
        var splitColumns = columnUnits >= 2 && (n >= m || rowUnits < 2);
        var units = splitColumns ? columnUnits : rowUnits;
        if (!threaded || 2.0 * m * n * k < ParallelFlops || Parallelism.ThreadCount == 1 || units < 2)
        {
            Block(a, b, c, kernel, 0, m, 0, n, k, alpha, beta);
            return;
        }

        Parallelism.For(units, 1, (start, end) =>
        {
            if (splitColumns)
            {
                Block(a, b, c, kernel, 0, m, start * columnGrain, Math.Min(n, end * columnGrain), k, alpha, beta);
            }
            else
            {
                Block(a, b, c, kernel, start * rowGrain, Math.Min(m, end * rowGrain), 0, n, k, alpha, beta);
            }
        });
    }

    /// <summary>Computes rows [i0, i1) × columns [j0, j1) of C over the whole depth on the calling thread.</summary>
    private static void Block<TLeft, TRight, TOutput>(
        in TLeft a, in TRight b, in TOutput c, GemmMicroKernel kernel, int i0, int i1, int j0, int j1, int k, float alpha, float beta)
        where TLeft : struct, IGemmLeftOperand
        where TRight : struct, IGemmRightOperand
        where TOutput : struct, IGemmOutput
    {
        int mr = kernel.Mr, nr = kernel.Nr;

        // Equal depth blocks (576 → 3 × 192 rather than 256 + 256 + 64) keep every micro-kernel call long.
        var depthBlocks = Math.Max(1, DivCeil(k, c.DepthBlock));
        var kcMax = DivCeil(k, depthBlocks);
        var mcMax = Math.Min(kernel.RowBlock, RoundUp(i1 - i0, mr));

        // Deeper blocks get proportionally narrower, so a packed B block stays within the same cache footprint.
        var columnBlock = RoundUp(GemmMicroKernel.ColumnBlock * GemmMicroKernel.DepthBlock / Math.Max(kcMax, GemmMicroKernel.DepthBlock), nr);
        var ncMax = Math.Min(columnBlock, RoundUp(j1 - j0, nr));

        // A packed B block pays off only when several row blocks reuse it (or the operand packs cheaper in bulk); with a
        // single row block (the usual convolution, M = output channels) each B panel is packed right before its one
        // use, while it is hot in L1.
        var packWholeB = i1 - i0 > mcMax || b.PacksWholeBlocks;
        var pool = ArrayPool<float>.Shared;
        var aBuffer = pool.Rent((mcMax * kcMax) + 16);
        var bBuffer = pool.Rent(((packWholeB ? ncMax : nr) * kcMax) + 16);
        var tile = stackalloc float[mr * nr];
        try
        {
            fixed (float* aRaw = aBuffer, bRaw = bBuffer)
            {
                var ap = AlignTo64(aRaw);
                var bp = AlignTo64(bRaw);
                for (var jc = j0; jc < j1; jc += ncMax)
                {
                    var nc = Math.Min(ncMax, j1 - jc);
                    var pc = 0;
                    do
                    {
                        var kc = Math.Min(kcMax, k - pc);
                        if (packWholeB)
                        {
                            b.PackColumnPanels(pc, kc, jc, nc, nr, bp);
                        }

                        var blockBeta = pc == 0 ? beta : 1f;
                        for (var ic = i0; ic < i1; ic += mcMax)
                        {
                            var mc = Math.Min(mcMax, i1 - ic);
                            a.PackRowPanels(ic, mc, pc, kc, mr, ap);
                            for (var jr = 0; jr < nc; jr += nr)
                            {
                                var columns = Math.Min(nr, nc - jr);
                                var bPanel = bp + (packWholeB ? (nint)jr * kc : 0);
                                if (!packWholeB)
                                {
                                    b.PackColumnPanels(pc, kc, jc + jr, columns, nr, bp);
                                }

                                for (var ir = 0; ir < mc; ir += mr)
                                {
                                    var aPanel = ap + ((nint)ir * kc);
                                    var rows = Math.Min(mr, mc - ir);
                                    nint ldc = 0;
                                    var direct = rows == mr && columns == nr ? c.TileAddress(ic + ir, jc + jr, nr, out ldc) : null;
                                    if (direct != null)
                                    {
                                        kernel.Compute(kc, aPanel, bPanel, direct, ldc, alpha, blockBeta);
                                    }
                                    else
                                    {
                                        kernel.Compute(kc, aPanel, bPanel, tile, nr, 1f, 0f);
                                        c.StoreTile(tile, nr, ic + ir, jc + jr, rows, columns, alpha, blockBeta);
                                    }
                                }
                            }
                        }

                        pc += kc;
                    }
                    while (pc < k);
                }
            }
        }
        finally
        {
            pool.Return(aBuffer);
            pool.Return(bBuffer);
        }
    }

    private static void CheckMatrix(int length, int rows, int columns, int stride, string name)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (stride < columns)
        {
            throw new ArgumentException($"The row stride of {name} ({stride}) is smaller than its {columns} columns.");
        }

        if ((((long)rows - 1) * stride) + columns > length)
        {
            throw new ArgumentException($"{name} needs {(((long)rows - 1) * stride) + columns} elements for {rows} × {columns} with row stride {stride}, but has {length}.");
        }
    }

    private static float* AlignTo64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    private static int DivCeil(int a, int b) => (a + b - 1) / b;

    private static int RoundUp(int a, int multiple) => DivCeil(a, multiple) * multiple;
}
