namespace AnomalyDetection.Imaging;

/// <summary>
/// The five PNG scanline filters. Each predicts a byte from its left neighbour a (one pixel back), the byte above
/// b, and the byte above-left c; the filtered byte is the difference modulo 256.
/// </summary>
internal static class PngFilters
{
    public const int Count = 5;

    /// <summary>Reverses filter <paramref name="filter"/> in place; <paramref name="prior"/> is the unfiltered row above (zeros for the first row).</summary>
    /// <returns><see langword="false"/> if <paramref name="filter"/> is not a defined filter type.</returns>
    public static bool TryUnfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int stride)
    {
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (var i = stride; i < row.Length; i++)
                {
                    row[i] += row[i - stride];
                }

                return true;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] += prior[i];
                }

                return true;
            case 3:
                for (var i = 0; i < stride && i < row.Length; i++)
                {
                    row[i] += (byte)(prior[i] >> 1);
                }

                for (var i = stride; i < row.Length; i++)
                {
                    row[i] += (byte)((row[i - stride] + prior[i]) >> 1);
                }

                return true;
            case 4:
                for (var i = 0; i < stride && i < row.Length; i++)
                {
                    row[i] += prior[i];
                }

                for (var i = stride; i < row.Length; i++)
                {
                    row[i] += Paeth(row[i - stride], prior[i], prior[i - stride]);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="filter"/> into <paramref name="destination"/>.</summary>
    public static void Apply(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int stride, Span<byte> destination)
    {
        for (var i = 0; i < row.Length; i++)
        {
            var a = i >= stride ? row[i - stride] : (byte)0;
            var b = prior[i];
            var c = i >= stride ? prior[i - stride] : (byte)0;
            var prediction = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            destination[i] = (byte)(row[i] - prediction);
        }
    }

    /// <summary>The predictor of filter 4: whichever of a, b, c is closest to a + b − c (ties prefer a, then b).</summary>
    public static byte Paeth(byte a, byte b, byte c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }
}
