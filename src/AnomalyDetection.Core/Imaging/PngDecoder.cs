using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Decodes PNG: every colour type and bit depth of the specification, Adam7 interlacing, all five filters, IDAT data
/// split over any number of chunks, and tRNS transparency (which becomes an alpha channel). Every chunk's CRC is
/// checked. Colour-management chunks (gAMA, cHRM, iCCP, sRGB) are ignored: samples are returned as stored.
/// </summary>
internal static class PngDecoder
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Whether <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>Decodes a whole PNG file held in memory.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="path">The file name for error messages, or <see langword="null"/>.</param>
    /// <exception cref="InvalidImageException">The data is not a valid PNG.</exception>
    public static ImageData Decode(ReadOnlySpan<byte> data, string? path)
    {
        if (!IsPng(data))
        {
            throw new InvalidImageException(path, "the PNG signature is missing.");
        }

        var chunks = ReadChunks(data, path);
        var header = chunks.Header;
        if (header.ColorType == PngColorType.Palette && chunks.Palette is null)
        {
            throw new InvalidImageException(path, "a palette image (colour type 3) has no PLTE chunk.");
        }

        var rawLength = RawLength(header);
        if (rawLength > (chunks.CompressedLength * ImageLimits.MaxDeflateRatio) + 64)
        {
            throw new InvalidImageException(path, $"{chunks.CompressedLength} bytes of compressed data cannot hold a {header.Width}×{header.Height} image; the file is truncated.");
        }

        var raw = Inflate(data, chunks, (int)rawLength, path);
        var raster = new PngRaster(header, chunks.Palette, chunks.Transparency, path);
        var offset = 0;
        foreach (var pass in PngPass.Of(header))
        {
            offset = raster.Read(raw, offset, pass);
        }

        return raster.ToImage();
    }

    /// <summary>The decompressed size: one filter byte plus the packed samples for every scanline of every pass.</summary>
    private static long RawLength(PngHeader header) => PngPass.Of(header).Sum(pass => pass.Height * (1 + header.RowBytes(pass.Width)));

    private static ChunkSummary ReadChunks(ReadOnlySpan<byte> data, string? path)
    {
        PngHeader? header = null;
        byte[]? palette = null;
        var sawPalette = false;
        byte[]? transparency = null;
        var idat = new List<(int Start, int Length)>();
        var idatEnded = false;
        long compressed = 0;
        var position = Signature.Length;
        while (true)
        {
            if (data.Length - position < 12)
            {
                throw new InvalidImageException(path, $"the file is truncated at byte {data.Length}: a chunk header at byte {position} needs 12 bytes (the IEND chunk is missing).");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var typeBytes = data.Slice(position + 4, 4);
            var type = DescribeType(typeBytes);
            if (length > (uint)(data.Length - position - 12))
            {
                throw new InvalidImageException(path, $"chunk '{type}' at byte {position} declares {length} bytes but only {data.Length - position - 12} remain; the file is truncated.");
            }

            var body = data.Slice(position + 8, (int)length);
            var stored = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            var computed = Crc32.Compute(data.Slice(position + 4, 4 + (int)length));
            if (stored != computed)
            {
                throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"chunk '{type}' at byte {position} has CRC 0x{stored:X8} but its data gives 0x{computed:X8}; the file is corrupt."));
            }

            foreach (var b in typeBytes)
            {
                if (!char.IsAsciiLetter((char)b))
                {
                    throw new InvalidImageException(path, $"the chunk type at byte {position} ('{type}') is not four ASCII letters.");
                }
            }

            if (header is null && type != "IHDR")
            {
                throw new InvalidImageException(path, $"the first chunk is '{type}', but PNG requires IHDR first.");
            }

            if (idat.Count > 0 && type != "IDAT")
            {
                idatEnded = true;
            }

            var bodyStart = position + 8;
            position += 12 + (int)length;
            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw new InvalidImageException(path, "the file has more than one IHDR chunk.");
                    }

                    header = PngHeader.Parse(body, path);
                    break;
                case "PLTE":
                    if (idat.Count > 0 || sawPalette)
                    {
                        throw new InvalidImageException(path, "a PLTE chunk is repeated or follows the image data.");
                    }

                    sawPalette = true;
                    palette = ParsePalette(body, header!.Value, path);
                    break;
                case "tRNS":
                    if (idat.Count > 0)
                    {
                        throw new InvalidImageException(path, "the tRNS chunk follows the image data.");
                    }

                    transparency = ParseTransparency(body, header!.Value, palette, path);
                    break;
                case "IDAT":
                    if (idatEnded)
                    {
                        throw new InvalidImageException(path, "the IDAT chunks are not consecutive.");
                    }

                    idat.Add((bodyStart, (int)length));
                    compressed += length;
                    break;
                case "IEND":
                    if (idat.Count == 0)
                    {
                        throw new InvalidImageException(path, "the file has no IDAT chunk (no image data).");
                    }

                    return new ChunkSummary(header!.Value, palette, transparency, idat, compressed);
                default:
                    // Bit 5 of the first letter clear marks a critical chunk, which a decoder must understand.
                    if ((typeBytes[0] & 0x20) == 0)
                    {
                        throw new InvalidImageException(path, $"critical chunk '{type}' is not part of PNG and cannot be decoded.");
                    }

                    break;
            }
        }
    }

    private static string DescribeType(ReadOnlySpan<byte> typeBytes)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = typeBytes[i] is >= 0x20 and < 0x7F ? (char)typeBytes[i] : '?';
        }

        return new string(chars);
    }

    /// <summary>The PLTE body of a palette image; a suggested palette of a truecolour image is validated and dropped.</summary>
    private static byte[]? ParsePalette(ReadOnlySpan<byte> body, PngHeader header, string? path)
    {
        if (body.Length == 0 || body.Length % 3 != 0 || body.Length > 3 * 256)
        {
            throw new InvalidImageException(path, $"the PLTE chunk has {body.Length} bytes; it must hold 1 to 256 RGB triples.");
        }

        return header.ColorType == PngColorType.Palette ? body.ToArray() : null;
    }

    private static byte[]? ParseTransparency(ReadOnlySpan<byte> body, PngHeader header, byte[]? palette, string? path)
    {
        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (palette is null)
                {
                    throw new InvalidImageException(path, "the tRNS chunk comes before the PLTE chunk.");
                }

                if (body.Length > palette.Length / 3)
                {
                    throw new InvalidImageException(path, $"the tRNS chunk has {body.Length} alpha values but the palette has only {palette.Length / 3} entries.");
                }

                return body.ToArray();
            case PngColorType.Gray or PngColorType.Rgb:
                var expected = header.ColorType == PngColorType.Gray ? 2 : 6;
                if (body.Length != expected)
                {
                    throw new InvalidImageException(path, $"the tRNS chunk of a {header.ColorType} image must have {expected} bytes, not {body.Length}.");
                }

                return body.ToArray();
            default:
                // Images with an alpha channel may not carry tRNS; like other decoders, ignore it.
                return null;
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> data, ChunkSummary chunks, int rawLength, string? path)
    {
        var compressed = new byte[chunks.CompressedLength];
        var at = 0;
        foreach (var (start, length) in chunks.Idat)
        {
            data.Slice(start, length).CopyTo(compressed.AsSpan(at));
            at += length;
        }

        var raw = new byte[rawLength];
        int read;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            read = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidImageException(path, $"the compressed image data is corrupt ({ex.Message})", ex);
        }

        if (read < rawLength)
        {
            throw new InvalidImageException(path, $"the image data ends after {read} of {rawLength} bytes; the file is truncated.");
        }

        return raw;
    }

    private sealed record ChunkSummary(PngHeader Header, byte[]? Palette, byte[]? Transparency, List<(int Start, int Length)> Idat, long CompressedLength);
}
