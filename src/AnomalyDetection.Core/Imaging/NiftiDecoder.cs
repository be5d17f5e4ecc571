using System.IO.Compression;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Reads the first volume of a single-file NIfTI-1 image (<c>.nii</c>, or <c>.nii.gz</c> recognised by its gzip
/// magic), in either byte order, applying <c>scl_slope</c>/<c>scl_inter</c>.
/// </summary>
internal static class NiftiDecoder
{
    /// <summary>Whether <paramref name="data"/> starts with the gzip magic bytes.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1F && data[1] == 0x8B;

    /// <summary>Decodes a whole file held in memory.</summary>
    /// <exception cref="InvalidImageException">The data is malformed, truncated or unsupported.</exception>
    public static Volume Decode(ReadOnlySpan<byte> data, string? path)
    {
        if (IsGzip(data))
        {
            return DecodeCompressed(data.ToArray(), path);
        }

        var header = NiftiHeader.Parse(data, path);
        if (data.Length - header.DataOffset < header.DataBytes)
        {
            throw new InvalidImageException(path, $"the voxel data needs {header.DataBytes} bytes from offset {header.DataOffset}, but the file has {data.Length} bytes; it is truncated.");
        }

        return Build(header, data.Slice((int)header.DataOffset, (int)header.DataBytes));
    }

    private static Volume DecodeCompressed(byte[] compressed, string? path)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            var headerBytes = new byte[NiftiHeader.Size];
            var read = gzip.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
            var header = NiftiHeader.Parse(headerBytes.AsSpan(0, read), path);

            var needed = header.DataOffset + header.DataBytes;
            if (needed > (compressed.Length * ImageLimits.MaxDeflateRatio) + 1024)
            {
                throw new InvalidImageException(path, $"{compressed.Length} bytes of gzip data cannot hold the {header.DataBytes} bytes of voxel data the header declares; the file is truncated.");
            }

            var skip = header.DataOffset - NiftiHeader.Size;
            var extension = new byte[Math.Min(skip, 1 << 16)];
            while (skip > 0)
            {
                var chunk = (int)Math.Min(skip, extension.Length);
                if (gzip.ReadAtLeast(extension.AsSpan(0, chunk), chunk, throwOnEndOfStream: false) < chunk)
                {
                    throw new InvalidImageException(path, $"the decompressed data ends before vox_offset {header.DataOffset}; the file is truncated.");
                }

                skip -= chunk;
            }

            var raw = new byte[header.DataBytes];
            read = gzip.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
            if (read < raw.Length)
            {
                throw new InvalidImageException(path, $"the voxel data ends after {read} of {raw.Length} bytes; the file is truncated.");
            }

            return Build(header, raw);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidImageException(path, $"the gzip data is corrupt ({ex.Message})", ex);
        }
    }

    private static Volume Build(NiftiHeader header, ReadOnlySpan<byte> raw) =>
        new(header.Width, header.Height, header.Depth, header.Convert(raw), header.Spacing, header.BytesPerVoxel * 8);
}
