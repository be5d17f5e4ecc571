using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Encodes an image as a non-interlaced PNG with 8 or 16 bits per sample: gray, gray + alpha, RGB or RGBA by the
/// image's channel count. Samples are clamped to [0, 1] and rounded to the nearest integer level.
/// </summary>
internal static class PngEncoder
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The bit depth is not 8 or 16, or a sample is not finite.</exception>
    public static void Encode(ImageData image, int bitDepth, Stream output)
    {
        if (bitDepth is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "PNG output supports 8 or 16 bits per sample.");
        }

        SampleQuantizer.RequireFinite(image);
        var colorType = image.Channels switch
        {
            1 => PngColorType.Gray,
            2 => PngColorType.GrayAlpha,
            3 => PngColorType.Rgb,
            _ => PngColorType.Rgba,
        };
        var header = new PngHeader(image.Width, image.Height, bitDepth, colorType, Interlaced: false);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], image.Height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;

        output.Write(PngDecoder.Signature);
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", Compress(image, header));
        WriteChunk(output, "IEND", []);
    }

    private static byte[] Compress(ImageData image, PngHeader header)
    {
        var rowBytes = (int)header.RowBytes(image.Width);
        var stride = header.FilterStride;
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        var candidate = new byte[rowBytes];
        var best = new byte[rowBytes];
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < image.Height; y++)
            {
                QuantizeRow(image, y, header.BitDepth, current);
                var bestFilter = ChooseFilter(current, previous, stride, candidate, best);
                zlib.WriteByte((byte)bestFilter);
                zlib.Write(best);
                (previous, current) = (current, previous);
            }
        }

        return compressed.ToArray();
    }

    /// <summary>
    /// Picks the filter whose output has the smallest sum of absolute values read as signed bytes, the usual
    /// heuristic for compressibility, and leaves its output in <paramref name="best"/>.
    /// </summary>
    private static int ChooseFilter(byte[] row, byte[] prior, int stride, byte[] candidate, byte[] best)
    {
        var bestFilter = 0;
        var bestCost = long.MaxValue;
        for (var filter = 0; filter < PngFilters.Count; filter++)
        {
            PngFilters.Apply(filter, row, prior, stride, candidate);
            long cost = 0;
            foreach (var b in candidate)
            {
                cost += Math.Abs((int)(sbyte)b);
            }

            if (cost < bestCost)
            {
                bestCost = cost;
                bestFilter = filter;
                candidate.AsSpan().CopyTo(best);
            }
        }

        return bestFilter;
    }

    private static void QuantizeRow(ImageData image, int y, int bitDepth, byte[] row)
    {
        var pixels = image.Pixels;
        var plane = image.PixelCount;
        var channels = image.Channels;
        var maxValue = (1 << bitDepth) - 1;
        for (var x = 0; x < image.Width; x++)
        {
            for (var c = 0; c < channels; c++)
            {
                var level = SampleQuantizer.Quantize(pixels[(c * plane) + (y * image.Width) + x], maxValue);
                var at = (x * channels) + c;
                if (bitDepth == 8)
                {
                    row[at] = (byte)level;
                }
                else
                {
                    BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(2 * at), (ushort)level);
                }
            }
        }
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(prefix, body.Length);
        Encoding.ASCII.GetBytes(type, prefix[4..]);
        var crc = Crc32.Append(Crc32.Compute(prefix[4..]), body);
        Span<byte> suffix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(suffix, crc);
        output.Write(prefix);
        output.Write(body);
        output.Write(suffix);
    }
}
