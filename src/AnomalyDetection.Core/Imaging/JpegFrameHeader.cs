using System.Buffers.Binary;
using System.Globalization;

namespace AnomalyDetection.Imaging;

/// <summary>The size and coding process of a JPEG image, read from its start-of-frame marker before anything is
/// decoded, so that forged dimensions are refused before the decoder allocates.</summary>
internal readonly record struct JpegFrameHeader(int Width, int Height, int Components, bool Progressive)
{
    /// <summary>The most pixels one byte of Huffman-coded JPEG data can describe: every 8 × 8 block of the
    /// full-resolution component costs at least one bit, so n bytes hold at most 512·n pixels; twice that is allowed.</summary>
    public const long MaxPixelsPerByte = 1024;

    /// <summary>Walks the markers up to the first start-of-frame and validates it.</summary>
    /// <exception cref="InvalidImageException">The markers are malformed, the process is not baseline, extended or
    /// progressive Huffman with 8-bit samples, or the size is out of bounds.</exception>
    public static JpegFrameHeader Read(ReadOnlySpan<byte> data, string? path)
    {
        var position = 2;
        while (true)
        {
            // Markers may be preceded by any number of 0xFF fill bytes.
            while (position < data.Length && data[position] == 0xFF && position + 1 < data.Length && data[position + 1] == 0xFF)
            {
                position++;
            }

            if (data.Length - position < 4)
            {
                throw new InvalidImageException(path, "the JPEG data ends before its start-of-frame marker; the file is truncated.");
            }

            if (data[position] != 0xFF)
            {
                throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"byte {position} should start a JPEG marker (0xFF) but is 0x{data[position]:X2}; the file is corrupt."));
            }

            var marker = data[position + 1];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                position += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || length > data.Length - position - 2)
            {
                throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"JPEG marker 0x{marker:X2} at byte {position} declares {length} bytes but {data.Length - position - 2} remain; the file is truncated."));
            }

            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    return Parse(data.Slice(position + 4, length - 2), marker == 0xC2, data.Length, path);
                case 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw new InvalidImageException(path, $"the JPEG coding process of marker SOF{marker - 0xC0} ({Process(marker)}) is not supported; baseline and progressive Huffman JPEG are.");
                case 0xDA:
                    throw new InvalidImageException(path, "the JPEG scan starts before any start-of-frame marker; the file is corrupt.");
                case 0xD9:
                    throw new InvalidImageException(path, "the JPEG data ends (EOI) before any image.");
                default:
                    position += 2 + length;
                    break;
            }
        }
    }

    private static JpegFrameHeader Parse(ReadOnlySpan<byte> frame, bool progressive, int fileLength, string? path)
    {
        if (frame.Length < 6)
        {
            throw new InvalidImageException(path, $"the JPEG start-of-frame segment holds {frame.Length} bytes, fewer than its 6-byte header.");
        }

        var precision = frame[0];
        var height = BinaryPrimitives.ReadUInt16BigEndian(frame[1..]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(frame[3..]);
        var components = frame[5];
        if (precision != 8)
        {
            throw new InvalidImageException(path, $"the JPEG stores {precision}-bit samples; only 8-bit JPEG is supported.");
        }

        if (components is not (1 or 3 or 4))
        {
            throw new InvalidImageException(path, $"the JPEG has {components} components; 1 (gray), 3 (colour) and 4 (CMYK) are supported.");
        }

        if (width < 1 || height < 1)
        {
            throw new InvalidImageException(path, $"the JPEG declares {width}×{height} pixels; both must be at least 1 (a height given later by a DNL marker is not supported).");
        }

        var pixels = (long)width * height;
        if (pixels > ImageLimits.MaxPixels)
        {
            throw new InvalidImageException(path, $"the image {width}×{height} exceeds the limit of {ImageLimits.MaxPixels} pixels.");
        }

        if (pixels > fileLength * MaxPixelsPerByte)
        {
            throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"{fileLength} bytes of JPEG data cannot hold a {width}×{height} image; the file is truncated or its size is forged."));
        }

        return new JpegFrameHeader(width, height, components, progressive);
    }

    private static string Process(byte marker) => marker switch
    {
        0xC3 => "lossless",
        0xC5 or 0xC6 or 0xC7 => "hierarchical",
        _ => "arithmetic coding",
    };
}
