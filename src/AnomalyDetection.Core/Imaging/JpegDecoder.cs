using SkiaSharp;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Decodes baseline and progressive JPEG (gray, YCbCr and CMYK, any chroma subsampling) through SkiaSharp's
/// libjpeg-turbo, after checking the frame header ourselves so that forged sizes never reach the native decoder.
/// </summary>
/// <remarks>Samples are returned as decoded (8-bit, divided by 255): no ICC colour management and no EXIF rotation.</remarks>
internal static class JpegDecoder
{
    /// <summary>Whether <paramref name="data"/> starts with a JPEG start-of-image marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Decodes a whole JPEG file into a gray (1-channel) or RGB (3-channel) image with samples in [0, 1].</summary>
    /// <exception cref="InvalidImageException">The data is not a valid, supported JPEG.</exception>
    public static ImageData Decode(ReadOnlySpan<byte> data, string? path)
    {
        var (width, height, channels, bytes) = DecodeBytes(data, path);
        var plane = width * height;
        var pixels = new float[bytes.Length];
        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                pixels[(c * plane) + i] = bytes[(i * channels) + c] / 255f;
            }
        }

        return new ImageData(width, height, channels, pixels, 8);
    }

    /// <summary>Decodes the baseline JPEG frames of encapsulated DICOM pixel data into 8-bit native pixel data
    /// (interleaved samples, frame after frame), checking each frame's size against the DICOM attributes.</summary>
    /// <exception cref="InvalidImageException">A frame is missing, malformed, or does not match Rows, Columns and Samples per Pixel.</exception>
    public static byte[] DecodeDicomFrames(ReadOnlySpan<byte> data, List<(int Offset, int Length)> fragments, DicomPixelFormat format, string? path)
    {
        // Each frame is one fragment, or (single-frame files) the concatenation of all fragments.
        if (fragments.Count == 0 || (format.Frames > 1 && fragments.Count != format.Frames))
        {
            throw new InvalidImageException(path, $"the encapsulated pixel data has {fragments.Count} fragment(s) for {format.Frames} frame(s); one fragment per frame (or any number for one frame) is supported.");
        }

        var frameBytes = format.FrameSamples;
        var raw = new byte[frameBytes * format.Frames];
        for (var f = 0; f < format.Frames; f++)
        {
            byte[] stream;
            if (format.Frames == 1)
            {
                using var joined = new MemoryStream();
                foreach (var (offset, length) in fragments)
                {
                    joined.Write(data.Slice(offset, length));
                }

                stream = joined.ToArray();
            }
            else
            {
                stream = data.Slice(fragments[f].Offset, fragments[f].Length).ToArray();
            }

            if (!IsJpeg(stream))
            {
                throw new InvalidImageException(path, $"frame {f} of the encapsulated pixel data does not start with a JPEG start-of-image marker.");
            }

            var (width, height, channels, bytes) = DecodeBytes(stream, path);
            if (width != format.Columns || height != format.Rows || channels != format.Samples)
            {
                throw new InvalidImageException(path, $"frame {f} is a {width}×{height} JPEG with {channels} channel(s) but the file declares {format.Columns}×{format.Rows} with {format.Samples} sample(s) per pixel.");
            }

            bytes.CopyTo(raw, f * frameBytes);
        }

        return raw;
    }

    /// <summary>Decodes to interleaved 8-bit samples: one per pixel for gray JPEG, three (RGB) otherwise.</summary>
    private static (int Width, int Height, int Channels, byte[] Bytes) DecodeBytes(ReadOnlySpan<byte> data, string? path)
    {
        if (!IsJpeg(data))
        {
            throw new InvalidImageException(path, "the JPEG start-of-image marker is missing.");
        }

        var header = JpegFrameHeader.Read(data, path);

        // libjpeg completes a truncated progressive image from the scans it has and reports success, so the end-of-image
        // marker is required here (entropy-coded data stuffs every 0xFF, so 0xFF 0xD9 can only be a marker).
        if (data.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) < 0)
        {
            throw new InvalidImageException(path, "the JPEG data has no end-of-image marker; the file is truncated.");
        }

        using var encoded = SKData.CreateCopy(data);
        using var stream = new SKMemoryStream(encoded);
        using var codec = SKCodec.Create(stream, out var opened);
        if (codec is null)
        {
            throw new InvalidImageException(path, $"the JPEG decoder cannot read the data ({opened}); the file is corrupt.");
        }

        var info = codec.Info;
        if (info.Width != header.Width || info.Height != header.Height)
        {
            throw new InvalidImageException(path, $"the JPEG decoder reports {info.Width}×{info.Height} pixels but the frame header declares {header.Width}×{header.Height}; the file is corrupt.");
        }

        var gray = header.Components == 1;
        var target = new SKImageInfo(header.Width, header.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(target);
        var result = codec.GetPixels(target, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // Skia fills the rows it could not decode; a truncated or corrupt scan is an error here, not a grey band.
            throw new InvalidImageException(path, $"the JPEG data could not be decoded ({result}); the file is truncated or corrupt.");
        }

        var source = bitmap.GetPixelSpan();
        var rowBytes = bitmap.RowBytes;
        var channels = gray ? 1 : 3;
        var bytes = new byte[header.Width * header.Height * channels];
        for (var y = 0; y < header.Height; y++)
        {
            var row = source.Slice(y * rowBytes, rowBytes);
            if (gray)
            {
                row[..header.Width].CopyTo(bytes.AsSpan(y * header.Width));
                continue;
            }

            for (var x = 0; x < header.Width; x++)
            {
                var to = ((y * header.Width) + x) * 3;
                bytes[to] = row[x * 4];
                bytes[to + 1] = row[(x * 4) + 1];
                bytes[to + 2] = row[(x * 4) + 2];
            }
        }

        return (header.Width, header.Height, channels, bytes);
    }
}
