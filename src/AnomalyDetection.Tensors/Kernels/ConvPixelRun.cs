using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Consecutive output pixels of one output row, as a range of GEMM columns: the im2col packing reads, and the
/// col2im scatter writes, one input row per kernel tap for the whole run.
/// </summary>
internal unsafe struct ConvPixelRun
{
    /// <summary>The first pixel, counted from the start of the range that was split.</summary>
    public int Start;

    public int Length;

    /// <summary>The offset of the pixel's image in the input-sized tensor: n · InChannels · InPlane.</summary>
    public int ImageOffset;

    /// <summary>The input row under kernel row 0: oh · stride − padding.</summary>
    public int RowOrigin;

    /// <summary>The input column under kernel column 0 for the first pixel: ow · stride − padding.</summary>
    public int ColumnOrigin;

    /// <summary>Splits output pixels [<paramref name="column"/>, +<paramref name="count"/>) (batch folded in) into runs along output rows.</summary>
    /// <returns>The number of runs written to <paramref name="runs"/>.</returns>
    public static int Split(in ConvGeometry g, int column, int count, Span<ConvPixelRun> runs)
    {
        var image = column / g.OutPlane;
        var pixel = column % g.OutPlane;
        var oh = pixel / g.OutWidth;
        var ow = pixel % g.OutWidth;
        var n = 0;
        for (var start = 0; start < count; n++)
        {
            var length = Math.Min(g.OutWidth - ow, count - start);
            runs[n] = new ConvPixelRun
            {
                Start = start,
                Length = length,
                ImageOffset = image * g.InChannels * g.InPlane,
                RowOrigin = (oh * g.Stride) - g.Padding,
                ColumnOrigin = (ow * g.Stride) - g.Padding,
            };
            start += length;
            ow = 0;
            if (++oh == g.OutHeight)
            {
                oh = 0;
                image++;
            }
        }

        return n;
    }

    /// <summary>
    /// The steps t in [0, <paramref name="length"/>) whose input column <paramref name="origin"/> + t·stride lies in
    /// [0, <paramref name="width"/>): all others read the zero padding.
    /// </summary>
    public static (int First, int End) ValidSteps(int origin, int stride, int width, int length)
    {
        if (stride == 1)
        {
            var from = Math.Clamp(-origin, 0, length);
            return (from, Math.Clamp(width - origin, from, length));
        }

        if (stride == 2)
        {
            var from = origin >= 0 ? 0 : Math.Min(length, (1 - origin) >> 1);
            return (from, origin >= width ? from : Math.Clamp(((width - 1 - origin) >> 1) + 1, from, length));
        }

        var first = origin >= 0 ? 0 : Math.Min(length, (-origin + stride - 1) / stride);
        var end = origin >= width ? 0 : Math.Min(length, ((width - 1 - origin) / stride) + 1);
        return (first, Math.Max(first, end));
    }

    /// <summary>
    /// The col2im step: adds alpha·values[t] to <paramref name="row"/>[origin + t·stride] for the steps t &lt;
    /// <paramref name="length"/> whose column lies inside the row (the others fall in the padding).
    /// </summary>
    public static void ScatterAdd(float* row, int origin, int stride, int width, int length, float* values, float alpha)
    {
        var (first, end) = ValidSteps(origin, stride, width, length);
        var target = row + origin;

        // Masked vector adds pay off from about eight elements; shorter runs (tiny feature maps) stay scalar.
        if (end - first >= 8 && stride <= 2 && Avx512F.IsSupported)
        {
            ScatterAdd512(target, stride, first, end, values, alpha);
            return;
        }

        for (var t = first; t < end; t++)
        {
            target[(nint)t * stride] += alpha * values[t];
        }
    }

    /// <summary>Masked 16-lane adds; with stride 2 the values are first spread to the even lanes of 32.</summary>
    private static void ScatterAdd512(float* target, int stride, int first, int end, float* values, float alpha)
    {
        var scale = Vector512.Create(alpha);
        var zero = Vector512<float>.Zero;
        for (var t = first; t < end; t += 16)
        {
            var bits = (uint)((1L << Math.Min(16, end - t)) - 1);
            var mask = Avx512LaneMask.FromBits(bits);
            var add = Avx512F.MaskLoad(values + t, mask, zero) * scale;
            if (stride == 1)
            {
                Avx512F.MaskStore(target + t, mask, Avx512F.MaskLoad(target + t, mask, zero) + add);
                continue;
            }

            var spread = Avx512LaneMask.SpreadToEven(bits);
            var destination = target + (2 * (nint)t);
            var lowMask = Avx512LaneMask.FromBits(spread & 0xFFFFu);
            var highMask = Avx512LaneMask.FromBits(spread >> 16);
            var low = Avx512F.PermuteVar16x32x2(add, Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16), zero);
            var high = Avx512F.PermuteVar16x32x2(add, Vector512.Create(8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16), zero);
            Avx512F.MaskStore(destination, lowMask, Avx512F.MaskLoad(destination, lowMask, zero) + low);
            Avx512F.MaskStore(destination + 16, highMask, Avx512F.MaskLoad(destination + 16, highMask, zero) + high);
        }
    }
}
