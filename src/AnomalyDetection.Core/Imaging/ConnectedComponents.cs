using System.Buffers;
using System.Diagnostics;

namespace AnomalyDetection.Imaging;

/// <summary>Labels the connected regions of a binary mask with 8-connectivity: pixels that touch by an edge or a
/// corner belong to the same region, as in the MVTec AD evaluation of per-region overlap.</summary>
internal static class ConnectedComponents
{
    /// <summary>Writes each pixel's region index (0, 1, …) or -1 for background into <paramref name="labels"/>, and
    /// appends each region's pixel count to <paramref name="regionSizes"/> in index order.</summary>
    /// <returns>The number of regions found.</returns>
    public static int Label(ReadOnlySpan<bool> mask, int height, int width, Span<int> labels, List<int> regionSizes)
    {
        Debug.Assert(mask.Length == height * width && labels.Length == mask.Length);
        labels.Fill(-1);
        var stack = ArrayPool<int>.Shared.Rent(mask.Length);
        try
        {
            var regionCount = 0;
            for (var seed = 0; seed < mask.Length; seed++)
            {
                if (!mask[seed] || labels[seed] >= 0)
                {
                    continue;
                }

                // Depth-first flood fill; every pixel is pushed at most once, so the stack never overflows.
                var region = regionCount++;
                var size = 0;
                var top = 0;
                labels[seed] = region;
                stack[top++] = seed;
                while (top > 0)
                {
                    var pixel = stack[--top];
                    size++;
                    var y = pixel / width;
                    var x = pixel - (y * width);
                    for (var ny = Math.Max(y - 1, 0); ny <= Math.Min(y + 1, height - 1); ny++)
                    {
                        for (var nx = Math.Max(x - 1, 0); nx <= Math.Min(x + 1, width - 1); nx++)
                        {
                            var neighbour = (ny * width) + nx;
                            if (mask[neighbour] && labels[neighbour] < 0)
                            {
                                labels[neighbour] = region;
                                stack[top++] = neighbour;
                            }
                        }
                    }
                }

                regionSizes.Add(size);
            }

            return regionCount;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
    }
}
