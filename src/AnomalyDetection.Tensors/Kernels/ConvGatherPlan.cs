using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// How to gather one packed im2col row of a B panel for each kernel tap, worked out once per panel and then
/// replayed for every input channel (the rows of one tap differ only by the channel's plane offset). Each row is
/// cut into lane groups of up to 16; a group whose pixels lie on one output row is copied with (masked) vector loads,
/// and with stride 2 compacted from two loads; any other group is gathered element by element.
/// </summary>
internal unsafe ref struct ConvGatherPlan
{
    private const int GroupWidth = 16;
    private const int Zero = 0, Contiguous = 1, StrideTwo = 2, Indexed = 3;

    private readonly int _nr;
    private readonly int _groups;
    private readonly int _width;
    private readonly Span<int> _kinds;
    private readonly Span<int> _offsets;
    private readonly Span<int> _masks;
    private readonly Span<int> _indices;

    /// <param name="taps">Kernel taps (kH · kW).</param>
    /// <param name="nr">Panel width.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/>(taps, nr) ints.</param>
    public ConvGatherPlan(int taps, int nr, Span<int> scratch)
    {
        _nr = nr;
        _width = Math.Min(GroupWidth, nr);
        _groups = nr / _width;
        var count = taps * _groups;
        _kinds = scratch[..count];
        _offsets = scratch.Slice(count, count);
        _masks = scratch.Slice(2 * count, count);
        _indices = scratch.Slice(3 * count, taps * nr);
    }

    /// <summary>The number of lanes per group (16, or the panel width when narrower).</summary>
    public int Width => _width;

    public static int ScratchLength(int taps, int nr) => (taps * nr) + (3 * taps * (nr / Math.Min(GroupWidth, nr)));

    /// <summary>Plans the panel made of <paramref name="runs"/>, for every tap.</summary>
    public void Build(in ConvGeometry g, scoped ReadOnlySpan<ConvPixelRun> runs)
    {
        var live = runs[^1].Start + runs[^1].Length;
        for (var tap = 0; tap < g.KernelArea; tap++)
        {
            var dy = tap / g.KernelWidth * g.Dilation;
            var dx = tap % g.KernelWidth * g.Dilation;
            var run = 0;
            for (var group = 0; group < _groups; group++)
            {
                var firstLane = group * _width;
                var lanes = Math.Clamp(live - firstLane, 0, _width);
                while (run < runs.Length - 1 && runs[run].Start + runs[run].Length <= firstLane)
                {
                    run++;
                }

                var entry = (tap * _groups) + group;
                if (lanes > 0 && firstLane + lanes <= runs[run].Start + runs[run].Length)
                {
                    Classify(g, runs[run], entry, firstLane, lanes, dy, dx);
                }
                else
                {
                    _kinds[entry] = lanes > 0 ? Indexed : Zero;
                }

                if (_kinds[entry] == Indexed)
                {
                    FillIndices(g, runs, _indices.Slice((tap * _nr) + firstLane, _width), firstLane, dy, dx);
                }
            }
        }
    }

    /// <summary>
    /// Writes the packed rows of tap <paramref name="tap"/> for <paramref name="rows"/> consecutive channels: the
    /// channel planes start at <paramref name="plane"/>, <paramref name="planeStride"/> floats apart, and their rows go
    /// to <paramref name="destination"/>, <paramref name="destinationStride"/> floats apart.
    /// </summary>
    public void Gather(int tap, float* plane, nint planeStride, int rows, float* destination, nint destinationStride)
    {
        for (var group = 0; group < _groups; group++)
        {
            Gather(tap, group, plane, planeStride, rows, destination + (group * _width), destinationStride);
        }
    }

    /// <summary>Writes the whole packed row of tap <paramref name="tap"/> for one channel plane.</summary>
    public void GatherRow(int tap, float* plane, float* destination)
    {
        var entry = tap * _groups;
        var vectorGroups = Avx512Groups(_width);
        for (var group = 0; group < _groups; group++, entry++, destination += _width)
        {
            // The vector recipes are inlined here, with their masks built in place.
            var kind = _kinds[entry];
            if (vectorGroups && kind is Contiguous or StrideTwo)
            {
                var source = plane + _offsets[entry];
                var mask = (uint)_masks[entry];
                if (kind == StrideTwo)
                {
                    CompactRows(1, source, 0, Avx512LaneMask.FromBits(mask & 0xFFFFu), Avx512LaneMask.FromBits(mask >> GroupWidth), destination, 0);
                    continue;
                }

                Vector512.Store(mask == 0xFFFFu ? Vector512.Load(source) : Avx512F.MaskLoad(source, Avx512LaneMask.FromBits(mask), Vector512<float>.Zero), destination);
                continue;
            }

            Gather(tap, group, plane, 0, 1, destination, 0);
        }
    }

    /// <summary>
    /// Writes lane group <paramref name="group"/> (<see cref="Width"/> floats) of the rows that
    /// <see cref="Gather(int, float*, nint, int, float*, nint)"/> writes. The recipe is fixed for the tap, so the loop
    /// over channels is short and branch-free.
    /// </summary>
    public void Gather(int tap, int group, float* plane, nint planeStride, int rows, float* destination, nint destinationStride)
    {
        var entry = (tap * _groups) + group;
        var source = plane + _offsets[entry];
        var mask = (uint)_masks[entry];
        switch (_kinds[entry])
        {
            case Zero:
                ClearRows(rows, _width, destination, destinationStride);
                break;
            case Contiguous when Avx512Groups(_width):
                CopyRows(rows, source, planeStride, Avx512LaneMask.FromBits(mask), destination, destinationStride);
                break;
            case Contiguous:
                for (var r = 0; r < rows; r++)
                {
                    new ReadOnlySpan<float>(source + (r * planeStride), _width).CopyTo(new Span<float>(destination + (r * destinationStride), _width));
                }

                break;
            case StrideTwo:
                CompactRows(rows, source, planeStride, Avx512LaneMask.FromBits(mask & 0xFFFFu), Avx512LaneMask.FromBits(mask >> GroupWidth), destination, destinationStride);
                break;
            default:
                fixed (int* indices = _indices.Slice((tap * _nr) + (group * _width), _width))
                {
                    GatherRows(rows, plane, planeStride, indices, _width, destination, destinationStride);
                }

                break;
        }
    }

    private static bool Avx512Groups(int width) => width == GroupWidth && Avx512F.IsSupported;

    /// <summary>Picks the recipe of a group whose <paramref name="lanes"/> live lanes all lie on one output row.</summary>
    private void Classify(in ConvGeometry g, ConvPixelRun run, int entry, int firstLane, int lanes, int dy, int dx)
    {
        var ih = run.RowOrigin + dy;
        var column = run.ColumnOrigin + ((firstLane - run.Start) * g.Stride) + dx;
        var (first, end) = ConvPixelRun.ValidSteps(column, g.Stride, g.InWidth, lanes);
        if ((uint)ih >= (uint)g.InHeight || first == end)
        {
            _kinds[entry] = Zero;
            return;
        }

        // The source position of lane 0 (possibly in the padding, where its lane is masked off).
        _offsets[entry] = run.ImageOffset + (ih * g.InWidth) + column;
        var valid = (uint)((1L << end) - (1L << first));
        if (g.Stride == 1 && (valid == (1u << _width) - 1 || Avx512Groups(_width)))
        {
            (_kinds[entry], _masks[entry]) = (Contiguous, (int)valid);
        }
        else if (g.Stride == 2 && Avx512Groups(_width))
        {
            // Output lane l reads source lane 2l of a 32-float span.
            (_kinds[entry], _masks[entry]) = (StrideTwo, (int)Avx512LaneMask.SpreadToEven(valid));
        }
        else
        {
            _kinds[entry] = Indexed;
        }
    }

    /// <summary>The source offset of every lane of a group (−1 in the padding), for element-wise gathering.</summary>
    private static void FillIndices(in ConvGeometry g, ReadOnlySpan<ConvPixelRun> runs, Span<int> indices, int firstLane, int dy, int dx)
    {
        indices.Fill(-1);
        foreach (var run in runs)
        {
            var ih = run.RowOrigin + dy;
            var from = Math.Max(run.Start, firstLane);
            var to = Math.Min(run.Start + run.Length, firstLane + indices.Length);
            if ((uint)ih >= (uint)g.InHeight)
            {
                continue;
            }

            for (var lane = from; lane < to; lane++)
            {
                var iw = run.ColumnOrigin + ((lane - run.Start) * g.Stride) + dx;
                if ((uint)iw < (uint)g.InWidth)
                {
                    indices[lane - firstLane] = run.ImageOffset + (ih * g.InWidth) + iw;
                }
            }
        }
    }

    // The row loops are separate small methods so that their pointers stay in registers.
    private static void ClearRows(int rows, int width, float* destination, nint destinationStride)
    {
        for (var r = 0; r < rows; r++, destination += destinationStride)
        {
            new Span<float>(destination, width).Clear();
        }
    }

    private static void CopyRows(int rows, float* source, nint sourceStride, Vector512<float> mask, float* destination, nint destinationStride)
    {
        for (var r = 0; r < rows; r++, source += sourceStride, destination += destinationStride)
        {
            Vector512.Store(Avx512F.MaskLoad(source, mask, Vector512<float>.Zero), destination);
        }
    }

    private static void CompactRows(
        int rows, float* source, nint sourceStride, Vector512<float> lowMask, Vector512<float> highMask, float* destination, nint destinationStride)
    {
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        for (var r = 0; r < rows; r++, source += sourceStride, destination += destinationStride)
        {
            var low = Avx512F.MaskLoad(source, lowMask, Vector512<float>.Zero);
            var high = Avx512F.MaskLoad(source + GroupWidth, highMask, Vector512<float>.Zero);
            Vector512.Store(Avx512F.PermuteVar16x32x2(low, evens, high), destination);
        }
    }

    private static void GatherRows(int rows, float* source, nint sourceStride, int* indices, int width, float* destination, nint destinationStride)
    {
        for (var r = 0; r < rows; r++, source += sourceStride, destination += destinationStride)
        {
            for (var lane = 0; lane < width; lane++)
            {
                var index = indices[lane];
                destination[lane] = index >= 0 ? source[index] : 0f;
            }
        }
    }
}
