using System.Buffers.Binary;
using System.Numerics;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Decodes binary Netpbm images: P5 (gray, PGM) and P6 (RGB, PPM) with any maxval in [1, 65535]; samples wider than
/// one byte are big-endian, as the format specifies. Only the first image of a multi-image file is read.
/// </summary>
internal static class PnmDecoder
{
    /// <summary>Whether <paramref name="data"/> starts like a Netpbm file ('P' followed by a digit 1–7).</summary>
    public static bool IsPnm(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'7';

    /// <summary>Decodes a whole P5 or P6 file held in memory.</summary>
    /// <exception cref="InvalidImageException">The data is malformed or another Netpbm variant.</exception>
    public static ImageData Decode(ReadOnlySpan<byte> data, string? path)
    {
        if (!IsPnm(data))
        {
            throw new InvalidImageException(path, "the Netpbm magic number (P5 or P6) is missing.");
        }

        var channels = data[1] switch
        {
            (byte)'5' => 1,
            (byte)'6' => 3,
            _ => throw new InvalidImageException(path, $"Netpbm variant P{(char)data[1]} is not supported; only binary P5 (gray) and P6 (RGB) are."),
        };

        var position = 2;
        var width = ReadHeaderNumber(data, ref position, "width", path);
        var height = ReadHeaderNumber(data, ref position, "height", path);
        var maxValue = ReadHeaderNumber(data, ref position, "maxval", path);
        if (width == 0 || height == 0)
        {
            throw new InvalidImageException(path, $"the dimensions {width}×{height} are invalid.");
        }

        if ((long)width * height > ImageLimits.MaxPixels)
        {
            throw new InvalidImageException(path, $"the dimensions {width}×{height} exceed the limit of {ImageLimits.MaxPixels} pixels.");
        }

        if (maxValue is < 1 or > 65535)
        {
            throw new InvalidImageException(path, $"maxval {maxValue} is outside [1, 65535].");
        }

        // Exactly one whitespace byte separates the header from the raster (ReadHeaderNumber stopped on it).
        position++;
        var bytesPerSample = maxValue > 255 ? 2 : 1;
        var sampleCount = (long)width * height * channels;
        var available = data.Length - (long)position;
        if (available < sampleCount * bytesPerSample)
        {
            throw new InvalidImageException(path, $"the raster needs {sampleCount * bytesPerSample} bytes but only {Math.Max(0, available)} remain; the file is truncated.");
        }

        var raster = data[position..];
        var plane = width * height;
        var pixels = new float[sampleCount];
        for (var i = 0; i < sampleCount; i++)
        {
            var sample = bytesPerSample == 1 ? raster[i] : BinaryPrimitives.ReadUInt16BigEndian(raster[(2 * i)..]);
            if (sample > maxValue)
            {
                throw new InvalidImageException(path, $"sample {i} is {sample}, above maxval {maxValue}.");
            }

            pixels[((i % channels) * plane) + (i / channels)] = sample / (float)maxValue;
        }

        var bitDepth = BitOperations.Log2((uint)maxValue) + 1;
        return new ImageData(width, height, channels, pixels, bitDepth);
    }

    /// <summary>Skips whitespace and '#' comments, then reads a decimal number and stops on the byte after it.</summary>
    private static int ReadHeaderNumber(ReadOnlySpan<byte> data, ref int position, string field, string? path)
    {
        while (position < data.Length)
        {
            if (data[position] == (byte)'#')
            {
                while (position < data.Length && data[position] is not ((byte)'\n' or (byte)'\r'))
                {
                    position++;
                }
            }
            else if (IsWhitespace(data[position]))
            {
                position++;
            }
            else
            {
                break;
            }
        }

        long value = 0;
        var digits = 0;
        while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (data[position] - '0');
            if (value > int.MaxValue)
            {
                throw new InvalidImageException(path, $"the header {field} is too large.");
            }

            digits++;
            position++;
        }

        if (digits == 0)
        {
            throw new InvalidImageException(path, position < data.Length
                ? $"the header {field} is not a number (found byte 0x{data[position]:X2} at {position})."
                : $"the header ends before the {field}; the file is truncated.");
        }

        if (position >= data.Length || !IsWhitespace(data[position]))
        {
            throw new InvalidImageException(path, position >= data.Length
                ? $"the header ends after the {field}; the file is truncated."
                : $"the header {field} is followed by byte 0x{data[position]:X2} instead of whitespace.");
        }

        return (int)value;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
}
