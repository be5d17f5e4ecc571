namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Constant padding and cropping of a contiguous tensor, with independent amounts per dimension.</summary>
internal static class PaddingKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>
    /// Adds <paramref name="before"/>[d] and <paramref name="after"/>[d] elements on each side of dimension d, filled with
    /// <paramref name="value"/>; negative amounts remove elements instead. <paramref name="outShape"/> must be the
    /// resulting shape.
    /// </summary>
    public static float[] PadOrCrop(float[] source, int[] shape, int[] before, int[] after, int[] outShape, float value)
    {
        var result = GC.AllocateUninitializedArray<float>(ShapeUtil.Count(outShape));
        if (result.Length == 0)
        {
            return result;
        }

        var last = shape.Length - 1;
        while (last >= 0 && before[last] == 0 && after[last] == 0)
        {
            last--;
        }

        if (last < 0)
        {
            source.CopyTo(result, 0);
            return result;
        }

        // Dimensions after the last padded one move together, so every row of the last padded dimension is one
        // contiguous run in both tensors: the work is a copy of the overlap plus fills, row by row.
        var inner = ShapeUtil.Count(shape.AsSpan(last + 1));
        var inRow = shape[last] * inner;
        var outRow = outShape[last] * inner;
        var shift = before[last] * inner;
        var copyStart = Math.Clamp(shift, 0, outRow);
        var copyEnd = Math.Clamp(inRow + shift, copyStart, outRow);
        var rows = ShapeUtil.Count(outShape.AsSpan(0, last));
        Parallelism.For(rows, Math.Max(1, ParallelGrain / outRow), (start, end) =>
        {
            var index = new int[last];
            var rest = start;
            for (var d = last - 1; d >= 0; d--)
            {
                index[d] = rest % outShape[d];
                rest /= outShape[d];
            }

            for (var row = start; row < end; row++)
            {
                var destination = result.AsSpan(row * outRow, outRow);
                var sourceRow = SourceRow(index, shape, before);
                if (sourceRow < 0 || copyStart == copyEnd)
                {
                    destination.Fill(value);
                }
                else
                {
                    destination[..copyStart].Fill(value);
                    source.AsSpan((sourceRow * inRow) + copyStart - shift, copyEnd - copyStart).CopyTo(destination[copyStart..]);
                    destination[copyEnd..].Fill(value);
                }

                Increment(index, outShape);
            }
        });
        return result;
    }

    /// <summary>The source row of an output row index (over the leading dimensions), or -1 when it lies in the padding.</summary>
    private static int SourceRow(int[] outIndex, int[] shape, int[] before)
    {
        var row = 0;
        for (var d = 0; d < outIndex.Length; d++)
        {
            var i = outIndex[d] - before[d];
            if ((uint)i >= (uint)shape[d])
            {
                return -1;
            }

            row = (row * shape[d]) + i;
        }

        return row;
    }

    private static void Increment(int[] index, int[] shape)
    {
        for (var d = index.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
            {
                return;
            }

            index[d] = 0;
        }
    }
}
