using AnomalyDetection.Tensors.Kernels;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class GemmTests
{
    /// <summary>The micro-kernel tiers this machine can run, by name (the enum is internal).</summary>
    public static TheoryData<string> Tiers()
    {
        var data = new TheoryData<string>();
        foreach (var isa in Enum.GetValues<GemmIsa>())
        {
            if (GemmMicroKernel.IsSupported(isa))
            {
                data.Add(isa.ToString());
            }
        }

        return data;
    }

    // Sizes straddle every tile (4, 6, 8, 12 rows; 4, 16, 32, 48 columns) and block edge (256 depth, 144/192 rows,
    // 4096 columns); on AVX-512 both tiles are chosen (12 × 32 for 12 × 32 and 97 × 17, 8 × 48 for the rest).
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 37, 5), (13, 1, 7), (12, 32, 256), (13, 33, 257), (5, 4, 600),
        (25, 65, 31), (97, 17, 513), (200, 40, 20), (3, 4200, 2),
    ];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Sgemm_AllShapesAndTransposes_MatchDoubleReference(string isa)
    {
        using var forced = GemmMicroKernel.Force(Enum.Parse<GemmIsa>(isa));
        var seed = 0;
        foreach (var (m, n, k) in Shapes)
        {
            foreach (var transposeA in new[] { false, true })
            {
                foreach (var transposeB in new[] { false, true })
                {
                    Check(m, n, k, transposeA, transposeB, alpha: 1f, beta: 0f, seed: seed++);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Sgemm_AlphaBetaAndPaddedStrides_MatchDoubleReference(string isa)
    {
        using var forced = GemmMicroKernel.Force(Enum.Parse<GemmIsa>(isa));
        Check(29, 45, 70, transposeA: false, transposeB: false, alpha: 0.5f, beta: 2f, seed: 1, pad: 3);
        Check(29, 45, 300, transposeA: true, transposeB: false, alpha: -1f, beta: 1f, seed: 2, pad: 1);
        Check(13, 70, 9, transposeA: false, transposeB: true, alpha: 2f, beta: -0.5f, seed: 3, pad: 5);
    }

    [Fact]
    public void Sgemm_BetaZero_IgnoresGarbageInOutput()
    {
        var a = TensorAssert.Random(1, 20, 30).ToArray();
        var b = TensorAssert.Random(2, 30, 40).ToArray();
        var c = new float[20 * 40];
        Array.Fill(c, float.NaN);
        Gemm.Sgemm(false, false, 20, 40, 30, 1f, a, 30, b, 40, 0f, c, 40);
        Assert.All(c, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Sgemm_ZeroDepth_ScalesOutputByBeta()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, [], 1, [], 3, 0.5f, c, 3);
        Assert.Equal([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], c);
    }

    [Fact]
    public void Sgemm_HandComputed2x2_IsExact()
    {
        float[] c = [100, 100, 100, 100];
        Gemm.Sgemm(false, false, 2, 2, 2, 1f, [1, 2, 3, 4], 2, [5, 6, 7, 8], 2, 1f, c, 2);
        Assert.Equal([119f, 122f, 143f, 150f], c);
    }

    [Fact]
    public void Sgemm_LargeMultiThreaded_IsBitReproducibleAndAccurate()
    {
        const int M = 150, N = 260, K = 300;
        var a = TensorAssert.Random(5, M, K).ToArray();
        var b = TensorAssert.Random(6, K, N).ToArray();
        var first = new float[M * N];
        var second = new float[M * N];
        Gemm.Sgemm(false, false, M, N, K, 1f, a, K, b, N, 0f, first, N);
        Gemm.Sgemm(false, false, M, N, K, 1f, a, K, b, N, 0f, second, N);
        Assert.Equal(first, second);
        AssertMatchesReference(M, N, K, false, false, 1f, 0f, a, K, b, N, new float[M * N], first, N);
    }

    [Fact]
    public void Sgemm_ShortBuffer_ThrowsNamingOperand()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, new float[5], 3, new float[6], 2, 0f, new float[4], 2));
        Assert.Contains("A needs 6 elements", ex.Message);
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(12, 12)]
    [InlineData(5, 8)]
    public unsafe void Transpose16x16_PartialRowsAndColumns_MatchesScalarTranspose(int rows, int columns)
    {
        // The transpose is only ever called on AVX-512 hardware.
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        var source = TensorAssert.Random(7, 16 * 20).ToArray();
        var destination = new float[16 * 18];
        Array.Fill(destination, -7f);
        fixed (float* s = source, d = destination)
        {
            Avx512Transpose.Transpose16x16(s, 20, d, 18, rows, columns);
        }

        for (var r = 0; r < 16; r++)
        {
            for (var c = 0; c < 18; c++)
            {
                var expected = c >= columns ? -7f : c < rows ? source[(c * 20) + r] : 0f;
                Assert.Equal(expected, destination[(r * 18) + c]);
            }
        }
    }

    [Fact]
    public void Force_UnsupportedTier_Throws()
    {
        foreach (var isa in Enum.GetValues<GemmIsa>())
        {
            if (!GemmMicroKernel.IsSupported(isa))
            {
                Assert.Throws<PlatformNotSupportedException>(() => GemmMicroKernel.Force(isa));
            }
        }

        Assert.True(GemmMicroKernel.IsSupported(GemmIsa.Scalar));
    }

    private static void Check(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, int seed, int pad = 0)
    {
        var (aRows, aCols) = transposeA ? (k, m) : (m, k);
        var (bRows, bCols) = transposeB ? (n, k) : (k, n);
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var random = new RandomSource(seed);
        var a = Tensor.Uniform(random, -1f, 1f, Math.Max(1, aRows * lda)).ToArray();
        var b = Tensor.Uniform(random, -1f, 1f, Math.Max(1, bRows * ldb)).ToArray();
        var c0 = Tensor.Uniform(random, -1f, 1f, m * ldc).ToArray();
        var c = (float[])c0.Clone();
        Gemm.Sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        AssertMatchesReference(m, n, k, transposeA, transposeB, alpha, beta, a, lda, b, ldb, c0, c, ldc);
    }

    private static void AssertMatchesReference(
        int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta,
        float[] a, int lda, float[] b, int ldb, float[] c0, float[] c, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)av * bv;
                    magnitude += Math.Abs((double)av * bv);
                }

                var old = c0[(i * ldc) + j];
                var expected = (alpha * sum) + (beta == 0f ? 0 : beta * (double)old);
                var tolerance = (1e-5 * ((Math.Abs(alpha) * magnitude) + Math.Abs(beta * old))) + 1e-6;
                var actual = c[(i * ldc) + j];
                if (Math.Abs(actual - expected) > tolerance)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"C[{i},{j}] of {m}×{n}×{k} (transposeA {transposeA}, transposeB {transposeB}): expected {expected:G9}, got {actual:G9}.");
                }
            }
        }

        // Padding between rows of C is never written.
        for (var i = 0; i < m; i++)
        {
            for (var j = n; j < ldc; j++)
            {
                Assert.Equal(c0[(i * ldc) + j], c[(i * ldc) + j]);
            }
        }
    }
}
