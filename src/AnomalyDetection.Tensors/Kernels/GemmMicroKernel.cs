using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The instruction-set tiers of the GEMM micro-kernels.</summary>
internal enum GemmIsa
{
    /// <summary>Plain scalar code; runs everywhere.</summary>
    Scalar,

    /// <summary>256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512,
}

/// <summary>
/// One register-tile micro-kernel with the cache blocking tuned for it. The driver packs A into panels of
/// <see cref="Mr"/> rows and B into panels of <see cref="Nr"/> columns, both laid out step by step along the depth.
/// </summary>
internal readonly unsafe struct GemmMicroKernel
{
    [ThreadStatic]
    private static GemmIsa? t_forced;

    private GemmMicroKernel(GemmIsa isa, int mr, int nr, int rowBlock, delegate*<int, float*, float*, float*, nint, float, float, void> compute)
    {
        Isa = isa;
        Mr = mr;
        Nr = nr;
        RowBlock = rowBlock;
        Compute = compute;
    }

    /// <summary>The default depth (K) of one cache block: packed B micro-panels of this depth stay in L1.</summary>
    public const int DepthBlock = 256;

    /// <summary>The width (N) of one packed B block of the default depth, which lives in L2/L3.</summary>
    public const int ColumnBlock = 4096;

    public GemmIsa Isa { get; }

    /// <summary>Rows of the register tile.</summary>
    public int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    public int Nr { get; }

    /// <summary>Rows (M) of one packed A block, which stays in L2; a multiple of <see cref="Mr"/>.</summary>
    public int RowBlock { get; }

    /// <summary>
    /// <c>Compute(depth, aPanel, bPanel, c, rowStride, alpha, beta)</c>: C = alpha·(A panel · B panel) + beta·C for a
    /// full <see cref="Mr"/> × <see cref="Nr"/> tile of C whose rows lie <c>rowStride</c> floats apart.
    /// </summary>
    public delegate*<int, float*, float*, float*, nint, float, float, void> Compute { get; }

    /// <summary>
    /// The kernel for an M × N product on this thread: the best tier the hardware supports (unless a test forced
    /// one), and within it the tile that wastes the least work on padding (ties go to the wide AVX-512 tile).
    /// </summary>
    public static GemmMicroKernel For(int rows, int columns)
    {
        var candidates = (t_forced ?? Best) switch
        {
            GemmIsa.Vector512 => (Avx512WideTile, Avx512TallTile),
            GemmIsa.Vector256 => (Avx2Tile, Avx2Tile),
            _ => (ScalarTile, ScalarTile),
        };
        return PaddedArea(candidates.Item1, rows, columns) <= PaddedArea(candidates.Item2, rows, columns) ? candidates.Item1 : candidates.Item2;
    }

    public static bool IsSupported(GemmIsa isa) => isa switch
    {
        GemmIsa.Vector512 => Vector512.IsHardwareAccelerated,
        GemmIsa.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };

    private static GemmIsa Best =>
        IsSupported(GemmIsa.Vector512) ? GemmIsa.Vector512 :
        IsSupported(GemmIsa.Vector256) ? GemmIsa.Vector256 :
        GemmIsa.Scalar;

    private static GemmMicroKernel Avx512TallTile =>
        new(GemmIsa.Vector512, GemmKernel512.Mr, GemmKernel512.Nr, 16 * GemmKernel512.Mr, &GemmKernel512.Compute);

    private static GemmMicroKernel Avx512WideTile =>
        new(GemmIsa.Vector512, GemmKernel512Wide.Mr, GemmKernel512Wide.Nr, 24 * GemmKernel512Wide.Mr, &GemmKernel512Wide.Compute);

    private static GemmMicroKernel Avx2Tile =>
        new(GemmIsa.Vector256, GemmKernel256.Mr, GemmKernel256.Nr, 24 * GemmKernel256.Mr, &GemmKernel256.Compute);

    private static GemmMicroKernel ScalarTile =>
        new(GemmIsa.Scalar, GemmKernelScalar.Mr, GemmKernelScalar.Nr, 32 * GemmKernelScalar.Mr, &GemmKernelScalar.Compute);

    private static long PaddedArea(GemmMicroKernel kernel, int rows, int columns) =>
        (long)RoundUp(rows, kernel.Mr) * RoundUp(columns, kernel.Nr);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Makes GEMM calls on this thread use <paramref name="isa"/> until the scope is disposed, so that tests
    /// can check every tier on one machine.</summary>
    /// <exception cref="PlatformNotSupportedException">The hardware lacks <paramref name="isa"/>.</exception>
    public static ForcedScope Force(GemmIsa isa)
    {
        if (!IsSupported(isa))
        {
            throw new PlatformNotSupportedException($"This machine cannot run the {isa} GEMM kernel.");
        }

        return new ForcedScope(isa);
    }

    /// <summary>Restores the previously forced tier when disposed.</summary>
    public readonly struct ForcedScope : IDisposable
    {
        private readonly GemmIsa? _previous;

        internal ForcedScope(GemmIsa isa)
        {
            _previous = t_forced;
            t_forced = isa;
        }

        public void Dispose() => t_forced = _previous;
    }
}
