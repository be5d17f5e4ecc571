namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Max pooling and the index gather/scatter pair its gradients are made of.</summary>
internal static class PoolingKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>
    /// The maximum of every window and the flat input offset of its first maximal element (a NaN wins, as in PyTorch).
    /// Windows that overlap the padding only look at the pixels inside the image.
    /// </summary>
    public static (float[] Values, int[] Indices) MaxPool(float[] x, PatchGeometry g)
    {
        var blocksDown = g.BlocksDown;
        var blocksAcross = g.BlocksAcross;
        var inPlane = g.Height * g.Width;
        var outPlane = blocksDown * blocksAcross;
        var planes = g.Batch * g.Channels;
        var values = GC.AllocateUninitializedArray<float>(planes * outPlane);
        var indices = GC.AllocateUninitializedArray<int>(planes * outPlane);
        Parallelism.For(planes, Math.Max(1, ParallelGrain / Math.Max(1, outPlane * g.Kernel * g.Kernel)), (start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                var at = p * outPlane;
                for (var by = 0; by < blocksDown; by++)
                {
                    var top = (by * g.Stride) - g.Padding;
                    var y0 = Math.Max(top, 0);
                    var y1 = Math.Min(top + g.Kernel, g.Height);
                    for (var bx = 0; bx < blocksAcross; bx++, at++)
                    {
                        var left = (bx * g.Stride) - g.Padding;
                        var x0 = Math.Max(left, 0);
                        var x1 = Math.Min(left + g.Kernel, g.Width);
                        var best = float.NegativeInfinity;
                        var bestIndex = (p * inPlane) + (y0 * g.Width) + x0;
                        for (var iy = y0; iy < y1; iy++)
                        {
                            var row = (p * inPlane) + (iy * g.Width);
                            for (var ix = row + x0; ix < row + x1; ix++)
                            {
                                var v = x[ix];
                                if (v > best || float.IsNaN(v))
                                {
                                    best = v;
                                    bestIndex = ix;
                                }
                            }
                        }

                        values[at] = best;
                        indices[at] = bestIndex;
                    }
                }
            }
        });
        return (values, indices);
    }

    /// <summary>result[i] = source[indices[i]].</summary>
    public static float[] Gather(float[] source, int[] indices)
    {
        var result = GC.AllocateUninitializedArray<float>(indices.Length);
        Parallelism.For(indices.Length, ParallelGrain, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                result[i] = source[indices[i]];
            }
        });
        return result;
    }

    /// <summary>
    /// Adds values[i] into result[indices[i]] (the adjoint of <see cref="Gather"/>). The indices of each of the
    /// <paramref name="planes"/> equal parts of <paramref name="values"/> must point into the matching part of the
    /// result, so that every plane is summed by one thread in a fixed order.
    /// </summary>
    public static float[] ScatterAdd(float[] values, int[] indices, int resultLength, int planes)
    {
        var result = new float[resultLength];
        var perPlane = values.Length / planes;
        Parallelism.For(planes, Math.Max(1, ParallelGrain / Math.Max(1, perPlane)), (start, end) =>
        {
            for (var i = start * perPlane; i < end * perPlane; i++)
            {
                result[indices[i]] += values[i];
            }
        });
        return result;
    }
}
