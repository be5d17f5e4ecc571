using System.Buffers.Binary;

namespace AnomalyDetection.Imaging;

/// <summary>The validated contents of a PNG IHDR chunk.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>Samples stored per pixel in the scanlines (a palette index counts as one).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Gray or PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        _ => 4,
    };

    /// <summary>Bits per pixel in the scanlines.</summary>
    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>The byte distance to the corresponding byte of the previous pixel, as the filters use it.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes in one unfiltered scanline of <paramref name="width"/> pixels, without the filter byte.</summary>
    public long RowBytes(int width) => (((long)width * BitsPerPixel) + 7) / 8;

    /// <summary>Parses and validates the 13-byte IHDR body.</summary>
    public static PngHeader Parse(ReadOnlySpan<byte> body, string? path)
    {
        if (body.Length != 13)
        {
            throw new InvalidImageException(path, $"the IHDR chunk has {body.Length} bytes instead of 13.");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(body);
        var height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new InvalidImageException(path, $"the dimensions {width}×{height} are invalid (each must be in [1, 2^31 - 1]).");
        }

        if ((long)width * height > ImageLimits.MaxPixels)
        {
            throw new InvalidImageException(path, $"the dimensions {width}×{height} exceed the limit of {ImageLimits.MaxPixels} pixels.");
        }

        var bitDepth = body[8];
        var colorType = (PngColorType)body[9];
        var allowed = colorType switch
        {
            PngColorType.Gray => bitDepth is 1 or 2 or 4 or 8 or 16,
            PngColorType.Palette => bitDepth is 1 or 2 or 4 or 8,
            PngColorType.Rgb or PngColorType.GrayAlpha or PngColorType.Rgba => bitDepth is 8 or 16,
            _ => throw new InvalidImageException(path, $"colour type {body[9]} is not defined by PNG (expected 0, 2, 3, 4 or 6)."),
        };
        if (!allowed)
        {
            throw new InvalidImageException(path, $"bit depth {bitDepth} is not allowed with colour type {body[9]} ({colorType}).");
        }

        if (body[10] != 0)
        {
            throw new InvalidImageException(path, $"compression method {body[10]} is not supported (only 0, deflate).");
        }

        if (body[11] != 0)
        {
            throw new InvalidImageException(path, $"filter method {body[11]} is not supported (only 0, adaptive).");
        }

        if (body[12] > 1)
        {
            throw new InvalidImageException(path, $"interlace method {body[12]} is not supported (only 0, none, and 1, Adam7).");
        }

        return new PngHeader((int)width, (int)height, bitDepth, colorType, body[12] == 1);
    }
}
