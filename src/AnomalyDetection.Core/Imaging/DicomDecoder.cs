using System.IO.Compression;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Decodes DICOM Part 10 files: implicit and explicit VR little endian and deflated explicit VR little endian with
/// native pixel data, and baseline JPEG encapsulated pixel data; MONOCHROME1/2 (8- or 16-bit allocated, any bits
/// stored, signed or unsigned) and RGB (interleaved or planar); one or more frames.
/// </summary>
/// <remarks>Only the image pixel module is read. Messages name the file and the attribute at fault, never an
/// attribute's value outside that module, so patient data does not leak into logs.</remarks>
internal static class DicomDecoder
{
    /// <summary>The 128-byte preamble plus the four bytes "DICM".</summary>
    public const int PrefixLength = 132;

    /// <summary>Whether <paramref name="data"/> is a DICOM Part 10 file: "DICM" after a 128-byte preamble.</summary>
    public static bool IsDicom(ReadOnlySpan<byte> data) => data.Length >= PrefixLength && data.Slice(128, 4).SequenceEqual("DICM"u8);

    /// <summary>Decodes a single-frame file into an image with samples in [0, 1]: the stored value's position in the
    /// range its bits can hold (reversed for MONOCHROME1 and for a negative Rescale Slope).</summary>
    /// <exception cref="InvalidImageException">The data is malformed, unsupported, or holds several frames.</exception>
    public static ImageData DecodeImage(ReadOnlySpan<byte> data, string? path)
    {
        var (format, raw) = Open(data, path);
        if (format.Frames > 1)
        {
            throw new InvalidImageException(path, $"this DICOM file holds {format.Frames} frames; read it with ImageIO.LoadVolume and take a slice.");
        }

        var plane = format.Rows * format.Columns;
        var pixels = new float[plane * format.Samples];
        if (format.Samples == 1)
        {
            var low = format.StoredMinimum;
            var range = (double)(format.StoredMaximum - low);
            var reverse = format.Inverted ^ (format.Slope < 0);
            for (var i = 0; i < plane; i++)
            {
                var value = (float)((format.Stored(raw, i) - low) / range);
                pixels[i] = reverse ? 1f - value : value;
            }
        }
        else
        {
            var maximum = (float)format.StoredMaximum;
            for (var c = 0; c < 3; c++)
            {
                for (var i = 0; i < plane; i++)
                {
                    var index = format.Planar ? ((long)c * plane) + i : ((long)i * 3) + c;
                    pixels[(c * plane) + i] = format.Stored(raw, index) / maximum;
                }
            }
        }

        return new ImageData(format.Columns, format.Rows, format.Samples, pixels, format.BitsStored);
    }

    /// <summary>Decodes a gray file's frames into a volume of modality values (stored × Rescale Slope + Rescale
    /// Intercept), frame k being slice z = k.</summary>
    /// <exception cref="InvalidImageException">The data is malformed, unsupported, or in colour.</exception>
    public static Volume DecodeVolume(ReadOnlySpan<byte> data, string? path)
    {
        var (format, raw) = Open(data, path);
        if (format.Samples != 1)
        {
            throw new InvalidImageException(path, "this DICOM file is in colour; volumes hold one intensity per voxel, so read it with ImageIO.Load.");
        }

        var voxels = new float[(long)format.Rows * format.Columns * format.Frames];
        for (var i = 0; i < voxels.Length; i++)
        {
            var value = (float)((format.Stored(raw, i) * format.Slope) + format.Intercept);
            voxels[i] = float.IsFinite(value) ? value : 0f;
        }

        return new Volume(format.Columns, format.Rows, format.Frames, voxels, format.Spacing, format.BitsStored, format.Window, format.Inverted);
    }

    /// <summary>Parses the file up to the pixel data and returns the validated format and the native pixel bytes
    /// (decompressed first for baseline JPEG).</summary>
    private static (DicomPixelFormat Format, byte[] Raw) Open(ReadOnlySpan<byte> data, string? path)
    {
        if (!IsDicom(data))
        {
            throw new InvalidImageException(path, "the DICOM prefix (128-byte preamble and 'DICM') is missing; only DICOM Part 10 files are read.");
        }

        var syntax = DicomDataSet.ReadTransferSyntax(data, path, out var start);
        var encoding = DicomTransferSyntax.EncodingOf(syntax)
            ?? throw new InvalidImageException(path, $"the transfer syntax {DicomTransferSyntax.Describe(syntax)} is not supported; uncompressed (implicit, explicit or deflated little endian) and baseline JPEG files are.");

        byte[]? inflated = null;
        if (encoding == DicomEncoding.DeflatedExplicitLittle)
        {
            inflated = Inflate(data[start..], path);
            start = 0;
        }

        var body = inflated is null ? data : new ReadOnlySpan<byte>(inflated);
        var set = DicomDataSet.Read(body, start, encoding != DicomEncoding.ImplicitLittle, path);
        if (set.FloatPixelData)
        {
            throw new InvalidImageException(path, "float and double pixel data (7FE0,0008/0009) are not supported; only integer pixel data (7FE0,0010) is.");
        }

        if (set.PixelData is null && set.Fragments is null)
        {
            throw new InvalidImageException(path, "the file holds no pixel data (7FE0,0010); it is not an image.");
        }

        var compressed = encoding == DicomEncoding.JpegBaseline;
        if (compressed != (set.Fragments is not null))
        {
            throw new InvalidImageException(path, compressed
                ? "the transfer syntax is baseline JPEG but the pixel data is not encapsulated."
                : $"the pixel data is encapsulated (compressed) but the transfer syntax {DicomTransferSyntax.Describe(syntax)} is uncompressed.");
        }

        var format = DicomPixelFormat.Parse(set, body, compressed);
        if (compressed)
        {
            return (format, JpegDecoder.DecodeDicomFrames(body, set.Fragments!, format, path));
        }

        var (offset, length) = set.PixelData!.Value;
        if (length < format.DataBytes)
        {
            throw new InvalidImageException(path, $"the pixel data holds {length} bytes but {format.Frames} frame(s) of {format.Columns}×{format.Rows}×{format.Samples} samples at {format.BitsAllocated} bits need {format.DataBytes}; the file is truncated.");
        }

        return (format, body.Slice(offset, (int)format.DataBytes).ToArray());
    }

    /// <summary>Inflates a deflated data set (raw deflate, no zlib header), refusing output beyond what deflate can produce from the input.</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> compressed, string? path)
    {
        var limit = Math.Min((compressed.Length * ImageLimits.MaxDeflateRatio) + 1024, Array.MaxLength);
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(compressed.ToArray(), writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[Math.Min(81920, limit + 1)];
            int read;
            while ((read = inflater.Read(buffer)) > 0)
            {
                if (output.Length + read > limit)
                {
                    throw new InvalidImageException(path, $"the deflated data set expands beyond {limit} bytes, more than {compressed.Length} bytes of deflate data can hold; it is corrupt.");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidImageException(path, $"the deflated data set is corrupt ({ex.Message})", ex);
        }
    }
}
