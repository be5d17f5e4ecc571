namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Reorders the dimensions of a contiguous tensor into a new contiguous tensor.</summary>
internal static class PermuteKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>Copies <paramref name="source"/> so that output dimension i is input dimension <paramref name="dims"/>[i].</summary>
    public static float[] Permute(float[] source, int[] shape, int[] dims)
    {
        var result = GC.AllocateUninitializedArray<float>(source.Length);

        // Read the output in order through the input strides. Size-1 dimensions are dropped, and output dimensions
        // that stay adjacent and in order in the input are merged, so that the innermost loop is as long as possible.
        var inputStrides = ShapeUtil.ContiguousStrides(shape);
        var sizes = new List<int>(dims.Length);
        var strides = new List<int>(dims.Length);
        foreach (var d in dims)
        {
            if (shape[d] == 1)
            {
                continue;
            }

            if (sizes.Count > 0 && strides[^1] == inputStrides[d] * shape[d])
            {
                sizes[^1] *= shape[d];
                strides[^1] = inputStrides[d];
            }
            else
            {
                sizes.Add(shape[d]);
                strides.Add(inputStrides[d]);
            }
        }

        if (sizes.Count <= 1 || source.Length == 0)
        {
            // At most one dimension moves (or there is nothing to move): the order of the elements is unchanged.
            source.CopyTo(result, 0);
            return result;
        }

        var mergedSizes = sizes.ToArray();
        var mergedStrides = strides.ToArray();
        var outer = mergedSizes.Length - 1;
        var inner = mergedSizes[outer];
        var innerStride = mergedStrides[outer];
        var rows = source.Length / inner;
        Parallelism.For(rows, Math.Max(1, ParallelGrain / inner), (start, end) =>
        {
            var index = new int[outer];
            var offset = 0;
            var rest = start;
            for (var d = outer - 1; d >= 0; d--)
            {
                index[d] = rest % mergedSizes[d];
                rest /= mergedSizes[d];
                offset += index[d] * mergedStrides[d];
            }

            for (var row = start; row < end; row++)
            {
                var destination = result.AsSpan(row * inner, inner);
                if (innerStride == 1)
                {
                    source.AsSpan(offset, inner).CopyTo(destination);
                }
                else
                {
                    var read = offset;
                    for (var j = 0; j < destination.Length; j++, read += innerStride)
                    {
                        destination[j] = source[read];
                    }
                }

                for (var d = outer - 1; d >= 0; d--)
                {
                    offset += mergedStrides[d];
                    if (++index[d] < mergedSizes[d])
                    {
                        break;
                    }

                    offset -= mergedSizes[d] * mergedStrides[d];
                    index[d] = 0;
                }
            }
        });
        return result;
    }
}
