using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

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
        var layout = new PixelLayout(header, chunks.Palette, chunks.Transparency);
        var pixels = new float[(long)header.Width * header.Height * layout.OutputChannels];
        if (header.Interlaced)
        {
            var offset = 0;
            foreach (var (startX, startY, stepX, stepY) in Adam7.Passes)
            {
                var passWidth = Adam7.Extent(header.Width, startX, stepX);
                var passHeight = Adam7.Extent(header.Height, startY, stepY);
                if (passWidth == 0 || passHeight == 0)
                {
                    continue;
                }

                offset = DecodePass(raw, offset, passWidth, passHeight, new PassPlacement(startX, startY, stepX, stepY), header, layout, pixels, path);
            }
        }
        else
        {
            DecodePass(raw, 0, header.Width, header.Height, new PassPlacement(0, 0, 1, 1), header, layout, pixels, path);
        }

        return new ImageData(header.Width, header.Height, layout.OutputChannels, pixels, header.BitDepth);
    }

    private static long RawLength(PngHeader header)
    {
        if (!header.Interlaced)
        {
            return header.Height * (1 + header.RowBytes(header.Width));
        }

        long total = 0;
        foreach (var (startX, startY, stepX, stepY) in Adam7.Passes)
        {
            var passWidth = Adam7.Extent(header.Width, startX, stepX);
            var passHeight = Adam7.Extent(header.Height, startY, stepY);
            if (passWidth > 0 && passHeight > 0)
            {
                total += passHeight * (1 + header.RowBytes(passWidth));
            }
        }

        return total;
    }

    private static ChunkSummary ReadChunks(ReadOnlySpan<byte> data, string? path)
    {
        PngHeader? header = null;
        float[]? palette = null;
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

    /// <summary>The palette as RGBA floats, alpha 1 until tRNS says otherwise.</summary>
    private static float[]? ParsePalette(ReadOnlySpan<byte> body, PngHeader header, string? path)
    {
        if (body.Length == 0 || body.Length % 3 != 0 || body.Length > 3 * 256)
        {
            throw new InvalidImageException(path, $"the PLTE chunk has {body.Length} bytes; it must hold 1 to 256 RGB triples.");
        }

        if (header.ColorType != PngColorType.Palette)
        {
            // A suggested palette for a truecolour image does not change the samples.
            return null;
        }

        var entries = body.Length / 3;
        var palette = new float[entries * 4];
        for (var i = 0; i < entries; i++)
        {
            palette[(i * 4) + 0] = body[i * 3] / 255f;
            palette[(i * 4) + 1] = body[(i * 3) + 1] / 255f;
            palette[(i * 4) + 2] = body[(i * 3) + 2] / 255f;
            palette[(i * 4) + 3] = 1f;
        }

        return palette;
    }

    private static byte[]? ParseTransparency(ReadOnlySpan<byte> body, PngHeader header, float[]? palette, string? path)
    {
        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (palette is null)
                {
                    throw new InvalidImageException(path, "the tRNS chunk comes before the PLTE chunk.");
                }

                if (body.Length > palette.Length / 4)
                {
                    throw new InvalidImageException(path, $"the tRNS chunk has {body.Length} alpha values but the palette has only {palette.Length / 4} entries.");
                }

                for (var i = 0; i < body.Length; i++)
                {
                    palette[(i * 4) + 3] = body[i] / 255f;
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

    /// <summary>Unfilters one pass (or the whole non-interlaced image) and scatters its pixels; returns the offset after it.</summary>
    private static int DecodePass(byte[] raw, int offset, int passWidth, int passHeight, PassPlacement placement, PngHeader header, PixelLayout layout, float[] pixels, string? path)
    {
        var rowBytes = (int)header.RowBytes(passWidth);
        var stride = header.FilterStride;
        var zeros = new byte[rowBytes];
        var samples = new int[passWidth * header.SamplesPerPixel];
        for (var row = 0; row < passHeight; row++)
        {
            var filter = raw[offset];
            var current = raw.AsSpan(offset + 1, rowBytes);
            ReadOnlySpan<byte> prior = row == 0 ? zeros : raw.AsSpan(offset - rowBytes, rowBytes);
            if (!PngFilters.TryUnfilter(filter, current, prior, stride))
            {
                throw new InvalidImageException(path, $"scanline {row} uses filter type {filter}; PNG defines only 0 to 4.");
            }

            UnpackSamples(current, header.BitDepth, samples);
            layout.Scatter(samples, passWidth, placement.StartY + (row * placement.StepY), placement, pixels, path);
            offset += 1 + rowBytes;
        }

        return offset;
    }

    private static void UnpackSamples(ReadOnlySpan<byte> row, int bitDepth, int[] samples)
    {
        switch (bitDepth)
        {
            case 8:
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = row[i];
                }

                break;
            case 16:
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadUInt16BigEndian(row[(2 * i)..]);
                }

                break;
            default:
                // Sub-byte samples are packed from the most significant bit.
                var mask = (1 << bitDepth) - 1;
                for (var i = 0; i < samples.Length; i++)
                {
                    var bit = i * bitDepth;
                    samples[i] = (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & mask;
                }

                break;
        }
    }

    private readonly record struct PassPlacement(int StartX, int StartY, int StepX, int StepY);

    private sealed record ChunkSummary(PngHeader Header, float[]? Palette, byte[]? Transparency, List<(int Start, int Length)> Idat, long CompressedLength);

    /// <summary>Maps the stored samples of one pixel to the output channels.</summary>
    private sealed class PixelLayout
    {
        private readonly PngHeader _header;
        private readonly float[]? _palette;
        private readonly int[]? _transparentColor;
        private readonly float _maxValue;

        public PixelLayout(PngHeader header, float[]? palette, byte[]? transparency)
        {
            _header = header;
            _palette = palette;
            _maxValue = (1 << header.BitDepth) - 1;
            if (transparency is not null && header.ColorType is PngColorType.Gray or PngColorType.Rgb)
            {
                _transparentColor = new int[transparency.Length / 2];
                for (var i = 0; i < _transparentColor.Length; i++)
                {
                    _transparentColor[i] = BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(2 * i));
                }
            }

            var hasTransparency = transparency is not null;
            OutputChannels = header.ColorType switch
            {
                PngColorType.Gray => hasTransparency ? 2 : 1,
                PngColorType.GrayAlpha => 2,
                PngColorType.Rgb => hasTransparency ? 4 : 3,
                PngColorType.Palette => hasTransparency ? 4 : 3,
                _ => 4,
            };
        }

        public int OutputChannels { get; }

        public void Scatter(int[] samples, int passWidth, int y, PassPlacement placement, float[] pixels, string? path)
        {
            var plane = _header.Width * _header.Height;
            var rowBase = y * _header.Width;
            var spp = _header.SamplesPerPixel;
            for (var i = 0; i < passWidth; i++)
            {
                var at = rowBase + placement.StartX + (i * placement.StepX);
                var s = i * spp;
                if (_palette is not null)
                {
                    var index = samples[s];
                    if (index * 4 >= _palette.Length)
                    {
                        throw new InvalidImageException(path, $"pixel ({placement.StartX + (i * placement.StepX)}, {y}) uses palette index {index}, but the palette has {_palette.Length / 4} entries.");
                    }

                    for (var c = 0; c < OutputChannels; c++)
                    {
                        pixels[(c * plane) + at] = _palette[(index * 4) + c];
                    }

                    continue;
                }

                for (var c = 0; c < spp; c++)
                {
                    pixels[(c * plane) + at] = samples[s + c] / _maxValue;
                }

                if (_transparentColor is not null)
                {
                    pixels[(spp * plane) + at] = samples.AsSpan(s, spp).SequenceEqual(_transparentColor) ? 0f : 1f;
                }
            }
        }
    }
}
