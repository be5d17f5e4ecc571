using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// A float matrix addressed by strides, usable as either GEMM operand or as the output. Its columns may be grouped
/// in blocks that lie apart in memory, which is how an NCHW tensor reads as a channels × (batch·pixels) matrix:
/// element (r, c) is at <c>r·rowStride + (c / columnBlock)·blockStride + (c % columnBlock)·columnStride</c>.
/// </summary>
internal readonly unsafe struct GemmMatrix : IGemmLeftOperand, IGemmRightOperand, IGemmOutput
{
    private readonly float* _data;
    private readonly nint _rowStride;
    private readonly nint _columnStride;
    private readonly int _columnBlock;
    private readonly nint _blockStride;

    private GemmMatrix(float* data, nint rowStride, nint columnStride, int columnBlock, nint blockStride)
    {
        _data = data;
        _rowStride = rowStride;
        _columnStride = columnStride;
        _columnBlock = columnBlock;
        _blockStride = blockStride;
    }

    public bool PacksWholeBlocks => false;

    public int RowGrain => 1;

    public int ColumnGrain => 1;

    public int DepthBlock => GemmMicroKernel.DepthBlock;

    /// <summary>Element (r, c) at <c>data[r·rowStride + c·columnStride]</c>; a transpose swaps the two strides.</summary>
    public static GemmMatrix Strided(float* data, int rowStride, int columnStride) =>
        new(data, rowStride, columnStride, int.MaxValue, 0);

    /// <summary>
    /// An NCHW tensor of <paramref name="channels"/> channels with <paramref name="pixels"/> pixels per plane, read as
    /// the channels × (batch·pixels) matrix that convolution GEMMs produce and consume.
    /// </summary>
    public static GemmMatrix ChannelMajor(float* data, int channels, int pixels) =>
        new(data, pixels, 1, pixels, (nint)channels * pixels);

    public void PackRowPanels(int row, int rows, int k, int depth, int mr, float* destination)
    {
        for (var p = 0; p < rows; p += mr, destination += (nint)mr * depth)
        {
            var live = Math.Min(mr, rows - p);
            for (var k0 = k; k0 < k + depth;)
            {
                var k1 = RunEnd(k0, k + depth);
                PackRowsTransposed(Address(row + p, k0), k1 - k0, live, mr, destination + ((nint)(k0 - k) * mr));
                k0 = k1;
            }

            for (var t = 0; t < depth && live < mr; t++)
            {
                new Span<float>(destination + ((nint)t * mr) + live, mr - live).Clear();
            }
        }
    }

    public void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination)
    {
        for (var q = 0; q < columns; q += nr, destination += (nint)nr * depth)
        {
            var live = Math.Min(nr, columns - q);
            for (var j = 0; j < live;)
            {
                var j1 = RunEnd(column + q + j, column + q + live) - column - q;
                PackColumns(Address(k, column + q + j), depth, j1 - j, nr, destination + j);
                j = j1;
            }

            for (var t = 0; t < depth && live < nr; t++)
            {
                new Span<float>(destination + ((nint)t * nr) + live, nr - live).Clear();
            }
        }
    }

    public float* TileAddress(int row, int column, int nr, out nint rowStride)
    {
        rowStride = _rowStride;
        return _columnStride == 1 && RunEnd(column, column + nr) == column + nr ? Address(row, column) : null;
    }

    public void StoreTile(float* tile, int tileStride, int row, int column, int rows, int columns, float alpha, float beta)
    {
        for (var j = 0; j < columns;)
        {
            var j1 = RunEnd(column + j, column + columns) - column;
            var origin = Address(row, column + j);
            for (var r = 0; r < rows; r++)
            {
                var c = origin + (r * _rowStride);
                var t = tile + ((nint)r * tileStride) + j;
                for (var u = 0; u < j1 - j; u++)
                {
                    var scaled = alpha * t[u];
                    c[u * _columnStride] = beta == 0f ? scaled : scaled + (beta * c[u * _columnStride]);
                }
            }

            j = j1;
        }
    }

    private float* Address(int row, int column) =>
        _data + (row * _rowStride) + (column / _columnBlock * _blockStride) + (column % _columnBlock * _columnStride);

    /// <summary>The end of the run of columns from <paramref name="column"/> that stays inside one block, capped at <paramref name="limit"/>.</summary>
    private int RunEnd(int column, int limit) =>
        _columnBlock == int.MaxValue ? limit : Math.Min(limit, ((column / _columnBlock) + 1) * _columnBlock);

    /// <summary>Copies <paramref name="live"/> rows × <paramref name="length"/> steps into [step][mr] order.</summary>
    private void PackRowsTransposed(float* source, int length, int live, int mr, float* destination)
    {
        if (_columnStride == 1)
        {
            // Rows run along the depth: transpose 16-step blocks in registers, then spread the rest slot by slot.
            var t0 = 0;
            if (mr <= 16 && Avx512F.IsSupported)
            {
                for (; t0 + 16 <= length; t0 += 16)
                {
                    Avx512Transpose.Transpose16x16(source + t0, _rowStride, destination + ((nint)t0 * mr), mr, live, mr);
                }
            }

            for (var r = 0; r < live; r++)
            {
                var s = source + (r * _rowStride);
                var d = destination + r;
                for (var t = t0; t < length; t++)
                {
                    d[(nint)t * mr] = s[t];
                }
            }

            return;
        }

        for (var t = 0; t < length; t++)
        {
            var s = source + (t * _columnStride);
            var d = destination + ((nint)t * mr);
            for (var r = 0; r < live; r++)
            {
                d[r] = s[r * _rowStride];
            }
        }
    }

    /// <summary>Copies <paramref name="depth"/> rows × <paramref name="width"/> columns into rows <paramref name="nr"/> floats apart.</summary>
    private void PackColumns(float* source, int depth, int width, int nr, float* destination)
    {
        if (_columnStride == 1 && width == nr && nr % Vector512<float>.Count == 0 && Vector512.IsHardwareAccelerated)
        {
            for (var t = 0; t < depth; t++, source += _rowStride, destination += nr)
            {
                for (var v = 0; v < nr; v += Vector512<float>.Count)
                {
                    Vector512.Store(Vector512.Load(source + v), destination + v);
                }
            }

            return;
        }

        if (_columnStride == 1)
        {
            for (var t = 0; t < depth; t++)
            {
                new ReadOnlySpan<float>(source + (t * _rowStride), width).CopyTo(new Span<float>(destination + ((nint)t * nr), width));
            }

            return;
        }

        // Columns run along the depth (a transposed operand): read each column once.
        for (var j = 0; j < width; j++)
        {
            var s = source + (j * _columnStride);
            var d = destination + j;
            for (var t = 0; t < depth; t++)
            {
                d[(nint)t * nr] = s[t * _rowStride];
            }
        }
    }
}
