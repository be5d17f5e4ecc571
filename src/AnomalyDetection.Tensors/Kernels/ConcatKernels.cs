namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Joins contiguous tensors along one dimension.</summary>
internal static class ConcatKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>
    /// Writes the blocks of every part side by side. <paramref name="outer"/> is the product of the dimensions before
    /// the joined one and <paramref name="inner"/> the product of those after it.
    /// </summary>
    public static float[] Concat(IReadOnlyList<Tensor> parts, int dim, int outer, int inner, int outSize)
    {
        var rowLength = outSize * inner;
        var result = GC.AllocateUninitializedArray<float>(outer * rowLength);
        Parallelism.For(outer, Math.Max(1, ParallelGrain / Math.Max(1, rowLength)), (start, end) =>
        {
            for (var o = start; o < end; o++)
            {
                var offset = o * rowLength;
                foreach (var part in parts)
                {
                    var block = part.Shape[dim] * inner;
                    part.Data.AsSpan(o * block, block).CopyTo(result.AsSpan(offset, block));
                    offset += block;
                }
            }
        });
        return result;
    }
}
