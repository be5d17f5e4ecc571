namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// A contiguous tensor seen as (outer, size, inner) around one dimension, for kernels that reduce or normalise along
/// that dimension: element (o, d, c) lies at (o·size + d)·inner + c.
/// </summary>
internal readonly record struct DimLayout(int Outer, int Size, int Inner)
{
    /// <summary>The widest run of inner columns one task handles, which bounds the scratch a kernel keeps per column.</summary>
    public const int ColumnBlock = 512;

    private const int ParallelGrain = 1 << 16;

    public static DimLayout Of(ReadOnlySpan<int> shape, int dim)
    {
        var d = ShapeUtil.NormalizeDim(dim, shape.Length);
        return new DimLayout(ShapeUtil.Count(shape[..d]), shape[d], ShapeUtil.Count(shape[(d + 1)..]));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(outer, firstColumn, columns) over every outer index and block of at most
    /// <see cref="ColumnBlock"/> inner columns, in parallel when there is enough work. With <see cref="Inner"/> = 1 each
    /// call covers one contiguous row of <see cref="Size"/> elements.
    /// </summary>
    public void For(Action<int, int, int> body)
    {
        if (Size == 0 || Inner == 0)
        {
            return;
        }

        var blocks = (Inner + ColumnBlock - 1) / ColumnBlock;
        var tasks = Outer * blocks;
        var perTask = Math.Max(1L, (long)Size * Math.Min(Inner, ColumnBlock));
        var inner = Inner;
        Parallelism.For(tasks, (int)Math.Max(1, ParallelGrain / perTask), (start, end) =>
        {
            for (var t = start; t < end; t++)
            {
                var column = t % blocks * ColumnBlock;
                body(t / blocks, column, Math.Min(ColumnBlock, inner - column));
            }
        });
    }

    /// <summary>The offset of element (outer, 0, column).</summary>
    public int Offset(int outer, int column) => (outer * Size * Inner) + column;
}
