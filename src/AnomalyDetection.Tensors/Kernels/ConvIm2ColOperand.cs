using System.Buffers;
using System.Runtime.CompilerServices;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// im2col(x) as the right operand of the forward GEMM (K = InChannels·taps, N = batch·output pixels), gathered
/// straight from the NCHW input while packing, so no column buffer is ever built.
/// </summary>
internal readonly unsafe struct ConvIm2ColOperand(ConvGeometry geometry, float* input) : IGemmRightOperand
{
    /// <summary>Plans for kernels up to 7×7 live on the stack; larger ones rent their scratch.</summary>
    private const int StackTaps = 49;

    private const int ChannelBlock = 4;

    /// <summary>Each panel plans its own pixels, so packing panel by panel, just before use, costs nothing extra.</summary>
    public bool PacksWholeBlocks => false;

    [SkipLocalsInit]
    public void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination)
    {
        var g = geometry;
        var onStack = g.KernelArea <= StackTaps;
        var rented = onStack ? null : ArrayPool<int>.Shared.Rent(ConvGatherPlan.ScratchLength(g.KernelArea, nr));
        try
        {
            var plan = new ConvGatherPlan(g.KernelArea, nr, onStack ? stackalloc int[ConvGatherPlan.ScratchLength(StackTaps, nr)] : rented);
            Span<ConvPixelRun> runs = stackalloc ConvPixelRun[nr];
            for (var q = 0; q < columns; q += nr, destination += (nint)nr * depth)
            {
                var count = ConvPixelRun.Split(g, column + q, Math.Min(nr, columns - q), runs);
                plan.Build(g, runs[..count]);

                // Row k + t holds channel (k + t) / taps at tap (k + t) % taps. Each tap's recipe is replayed over a
                // few channels at a time: enough to hoist it, few enough that the planes (which alias in the caches
                // at power-of-two sizes) stay in L1 while every tap reads them.
                var channelEnd = (k + depth + g.KernelArea - 1) / g.KernelArea;
                for (var block = k / g.KernelArea; block < channelEnd; block += ChannelBlock)
                {
                    for (var tap = 0; tap < g.KernelArea; tap++)
                    {
                        var first = Math.Max(block, (k - tap + g.KernelArea - 1) / g.KernelArea);
                        var end = Math.Min(block + ChannelBlock, (k + depth - tap + g.KernelArea - 1) / g.KernelArea);
                        if (end > first)
                        {
                            var row = (first * g.KernelArea) + tap - k;
                            plan.Gather(
                                tap, input + ((nint)first * g.InPlane), g.InPlane, end - first,
                                destination + ((nint)row * nr), (nint)g.KernelArea * nr);
                        }
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }
}
