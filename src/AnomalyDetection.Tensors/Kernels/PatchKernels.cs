using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The geometry of square sliding blocks over an NCHW image: the block size, step and zero padding, and the image
/// and block-grid sizes they imply.
/// </summary>
internal readonly record struct PatchGeometry(int Batch, int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
{
    /// <summary>Block positions down the image.</summary>
    public int BlocksDown => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Block positions across the image.</summary>
    public int BlocksAcross => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>The first block column whose tap at kernel column <paramref name="kj"/> lies inside the image.</summary>
    public int FirstInsideColumn(int kj) => Math.Min(BlocksAcross, Padding - kj <= 0 ? 0 : (Padding - kj + Stride - 1) / Stride);

    /// <summary>One past the last block column whose tap at kernel column <paramref name="kj"/> lies inside the image.</summary>
    public int EndInsideColumn(int kj)
    {
        var last = Width - 1 + Padding - kj;
        return Math.Max(FirstInsideColumn(kj), last < 0 ? 0 : Math.Min(BlocksAcross, (last / Stride) + 1));
    }
}

/// <summary>im2col and col2im: the copies behind <see cref="Functional.Unfold"/> and <see cref="Functional.Fold"/>.</summary>
internal static class PatchKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>
    /// Gathers every block into a column: row (c·k + ki)·k + kj of sample n holds, for each block, the pixel at kernel
    /// offset (ki, kj), or zero where that offset falls in the padding.
    /// </summary>
    public static float[] Unfold(float[] image, PatchGeometry g)
    {
        var k = g.Kernel;
        var blocksAcross = g.BlocksAcross;
        var blocks = g.BlocksDown * blocksAcross;
        var rows = g.Batch * g.Channels * k * k;
        var plane = g.Height * g.Width;
        var result = GC.AllocateUninitializedArray<float>(rows * blocks);
        Parallelism.For(rows, Math.Max(1, ParallelGrain / Math.Max(1, blocks)), (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                var kj = row % k;
                var ki = row / k % k;
                var source = image.AsSpan(row / (k * k) * plane, plane);
                var first = g.FirstInsideColumn(kj);
                var stop = g.EndInsideColumn(kj);
                for (var by = 0; by < g.BlocksDown; by++)
                {
                    var destination = result.AsSpan((row * blocks) + (by * blocksAcross), blocksAcross);
                    var iy = (by * g.Stride) - g.Padding + ki;
                    if ((uint)iy >= (uint)g.Height)
                    {
                        destination.Clear();
                        continue;
                    }

                    destination[..first].Clear();
                    destination[stop..].Clear();
                    var read = (iy * g.Width) + (first * g.Stride) - g.Padding + kj;
                    if (g.Stride == 1)
                    {
                        source.Slice(read, stop - first).CopyTo(destination[first..]);
                    }
                    else
                    {
                        for (var bx = first; bx < stop; bx++, read += g.Stride)
                        {
                            destination[bx] = source[read];
                        }
                    }
                }
            }
        });
        return result;
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: adds every column entry back onto the pixel it came from.</summary>
    public static float[] Fold(float[] columns, PatchGeometry g)
    {
        var k = g.Kernel;
        var blocksAcross = g.BlocksAcross;
        var blocks = g.BlocksDown * blocksAcross;
        var planes = g.Batch * g.Channels;
        var plane = g.Height * g.Width;
        var result = new float[planes * plane];

        // Each image plane is written by one thread only, so the sums are reproducible.
        Parallelism.For(planes, Math.Max(1, ParallelGrain / Math.Max(1, k * k * blocks)), (start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                var destination = result.AsSpan(p * plane, plane);
                for (var kk = 0; kk < k * k; kk++)
                {
                    var ki = kk / k;
                    var kj = kk % k;
                    var source = columns.AsSpan(((p * k * k) + kk) * blocks, blocks);
                    var first = g.FirstInsideColumn(kj);
                    var stop = g.EndInsideColumn(kj);
                    for (var by = 0; by < g.BlocksDown; by++)
                    {
                        var iy = (by * g.Stride) - g.Padding + ki;
                        if ((uint)iy >= (uint)g.Height || first == stop)
                        {
                            continue;
                        }

                        var write = (iy * g.Width) + (first * g.Stride) - g.Padding + kj;
                        var read = (by * blocksAcross) + first;
                        if (g.Stride == 1)
                        {
                            var run = destination.Slice(write, stop - first);
                            TensorPrimitives.Add(run, source.Slice(read, stop - first), run);
                        }
                        else
                        {
                            for (var bx = first; bx < stop; bx++, write += g.Stride)
                            {
                                destination[write] += source[read++];
                            }
                        }
                    }
                }
            }
        });
        return result;
    }
}
