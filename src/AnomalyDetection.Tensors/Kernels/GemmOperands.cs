namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The left operand op(A) (M × K) of a GEMM, seen only through the packing it provides: the driver never reads A
/// directly, so A can be a strided matrix or a tensor with an implicit layout.
/// </summary>
internal unsafe interface IGemmLeftOperand
{
    /// <summary>
    /// Packs rows [<paramref name="row"/>, +<paramref name="rows"/>) × depth [<paramref name="k"/>, +<paramref name="depth"/>)
    /// into ⌈rows / mr⌉ consecutive panels of depth × mr floats (step p of a panel holds its mr rows at depth k + p),
    /// with the rows past the end set to zero.
    /// </summary>
    void PackRowPanels(int row, int rows, int k, int depth, int mr, float* destination);
}

/// <summary>The right operand op(B) (K × N) of a GEMM, seen only through its packing.</summary>
internal unsafe interface IGemmRightOperand
{
    /// <summary>
    /// Whether packing a whole column block in one call is cheaper than packing it panel by panel, even when no
    /// second row block reuses it (true when each call has a set-up cost that depends on the depth range only).
    /// </summary>
    bool PacksWholeBlocks { get; }

    /// <summary>
    /// Packs depth [<paramref name="k"/>, +<paramref name="depth"/>) × columns [<paramref name="column"/>, +<paramref name="columns"/>)
    /// into ⌈columns / nr⌉ consecutive panels of depth × nr floats, with the columns past the end set to zero.
    /// </summary>
    void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination);
}

/// <summary>Where the M × N result of a GEMM goes.</summary>
internal unsafe interface IGemmOutput
{
    /// <summary>
    /// Split points of a multi-threaded run along M must be multiples of this (1 when any split is safe; larger when
    /// different rows write the same memory).
    /// </summary>
    int RowGrain { get; }

    /// <summary>Split points along N must be multiples of this.</summary>
    int ColumnGrain { get; }

    /// <summary>
    /// The largest depth (K) block to use: every depth block stores each tile once more, so outputs whose stores are
    /// expensive (a scatter) ask for fewer, deeper blocks than <see cref="GemmMicroKernel.DepthBlock"/>.
    /// </summary>
    int DepthBlock { get; }

    /// <summary>
    /// The address of element (<paramref name="row"/>, <paramref name="column"/>) when the tile of <paramref name="nr"/>
    /// columns starting there can be written in place with rows <paramref name="rowStride"/> apart; null when the tile
    /// must go through <see cref="StoreTile"/>.
    /// </summary>
    float* TileAddress(int row, int column, int nr, out nint rowStride);

    /// <summary>
    /// Writes alpha·tile + beta·C for the <paramref name="rows"/> × <paramref name="columns"/> block at
    /// (<paramref name="row"/>, <paramref name="column"/>); C is not read when beta is 0.
    /// </summary>
    void StoreTile(float* tile, int tileStride, int row, int column, int rows, int columns, float alpha, float beta);
}
