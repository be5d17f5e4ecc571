using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// im2col(x)ᵀ as the right operand of the weight-gradient GEMM (K = batch·output pixels, N = InChannels·taps),
/// gathered straight from the NCHW input while packing. Pixels run along memory but along the packed depth, so each
/// column's pixels are gathered as in the forward packing (one gather plan over the pixel range), 16 columns at a
/// time, and then transposed 16 × 16 in registers.
/// </summary>
internal readonly unsafe struct ConvIm2ColTransposedOperand(ConvGeometry geometry, float* input) : IGemmRightOperand
{
    private const int Block = 16;

    /// <summary>The gather plan depends on the depth range only, so it is built once for the whole column block.</summary>
    public bool PacksWholeBlocks => true;

    [SkipLocalsInit]
    public void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination)
    {
        var g = geometry;
        Debug.Assert(depth <= GemmMicroKernel.DepthBlock, "The driver never packs more than one depth block.");
        if (depth == 0)
        {
            return;
        }

        var lanes = (depth + Block - 1) / Block * Block;
        var scratch = ArrayPool<int>.Shared.Rent(ConvGatherPlan.ScratchLength(g.KernelArea, lanes));
        try
        {
            Span<ConvPixelRun> runs = stackalloc ConvPixelRun[GemmMicroKernel.DepthBlock];
            var plan = new ConvGatherPlan(g.KernelArea, lanes, scratch);
            plan.Build(g, runs[..ConvPixelRun.Split(g, k, depth, runs)]);
            var width = Math.Min(Block, nr);
            var vectorTranspose = width == Block && plan.Width == Block && Avx512F.IsSupported;

            // Row c of the block holds column c's values at every pixel of the depth range.
            var block = stackalloc float[Block * GemmMicroKernel.DepthBlock];
            var tail = stackalloc float[Block * Block];
            for (var q = 0; q < columns; q += nr, destination += (nint)nr * depth)
            {
                for (var j = 0; j < nr; j += width)
                {
                    var live = Math.Clamp(columns - q - j, 0, width);
                    for (var c = 0; c < width; c++)
                    {
                        var row = block + (c * lanes);
                        var patch = column + q + j + c;
                        if (c < live)
                        {
                            plan.GatherRow(patch % g.KernelArea, input + ((nint)(patch / g.KernelArea) * g.InPlane), row);
                        }
                        else
                        {
                            new Span<float>(row, lanes).Clear();
                        }
                    }

                    var target = destination + j;
                    for (var p = 0; p < depth; p += Block, target += (nint)Block * nr)
                    {
                        var rows = Math.Min(Block, depth - p);
                        if (vectorTranspose && rows == Block)
                        {
                            Avx512Transpose.Transpose16x16(block + p, lanes, target, nr);
                        }
                        else if (vectorTranspose)
                        {
                            Avx512Transpose.Transpose16x16(block + p, lanes, tail, Block);
                            for (var r = 0; r < rows; r++)
                            {
                                new ReadOnlySpan<float>(tail + (r * Block), Block).CopyTo(new Span<float>(target + ((nint)r * nr), Block));
                            }
                        }
                        else
                        {
                            for (var r = 0; r < rows; r++)
                            {
                                for (var c = 0; c < width; c++)
                                {
                                    target[((nint)r * nr) + c] = block[(c * lanes) + p + r];
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }
}
