using System.Globalization;
using AnomalyDetection.Serialization;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Reads and writes images and volumes, choosing the decoder from the data's first bytes rather than the file name.
/// </summary>
/// <remarks>
/// <para>2-D formats: PNG (every colour type and bit depth, interlaced or not), binary PGM/PPM (P5/P6), JPEG
/// (baseline and progressive) and single-frame DICOM. Volumes: NIfTI-1 (<c>.nii</c> and gzip-compressed <c>.nii.gz</c>) and gray DICOM, whose frames
/// are the slices. docs/concepts.md lists what each format supports and how intensities are mapped.</para>
/// <para>Decoded samples lie in [0, 1]; see <see cref="ImageData"/>. Malformed, truncated or unsupported data
/// always raises <see cref="InvalidImageException"/>; a missing file raises the usual
/// <see cref="FileNotFoundException"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var image = await ImageIO.LoadAsync("scan.png", cancellationToken);
/// var slice = ImageIO.LoadVolume("BraTS19_001_flair.nii.gz").AxialSlice(77, IntensityWindow.Percentile(0.5, 99.5));
/// ImageIO.SavePng(slice, "slice77.png");
/// </code>
/// </example>
public static class ImageIO
{
    /// <summary>The file extensions of the 2-D images <see cref="Load"/> reads (compared case-insensitively).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".pgm", ".ppm", ".pnm", ".dcm", ".jpg", ".jpeg"];

    /// <summary>
    /// Whether <paramref name="path"/> names a file the image readers take: one with an extension in
    /// <see cref="ImageExtensions"/>, or a DICOM file without an extension (or with an all-digit one, as in names made
    /// of UIDs) that starts with the DICOM preamble.
    /// </summary>
    /// <param name="path">The file to check; files without a known extension are opened to read their first 132 bytes.</param>
    /// <returns>Whether the file should be decoded as an image.</returns>
    public static bool IsImageFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path);
        if (ImageExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (extension.Length > 1 && !extension.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            extension = string.Empty;
        }

        return extension.Length == 0 && StartsWithDicomPreamble(path);
    }

    private static bool StartsWithDicomPreamble(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            Span<byte> prefix = stackalloc byte[DicomDecoder.PrefixLength];
            return stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) == prefix.Length && DicomDecoder.IsDicom(prefix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a PNG, PGM, PPM, JPEG or single-frame DICOM file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidImageException">The file is not a valid image in a supported format.</exception>
    public static ImageData Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a PNG, PGM, PPM, JPEG or single-frame DICOM file asynchronously.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidImageException">The file is not a valid image in a supported format.</exception>
    public static async Task<ImageData> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Decode(data, path);
    }

    /// <summary>Decodes a PNG, PGM, PPM, JPEG or single-frame DICOM file held in memory.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="sourceName">A name for error messages (for example the file path), or <see langword="null"/>.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidImageException">The data is not a valid image in a supported format.</exception>
    public static ImageData Decode(ReadOnlySpan<byte> data, string? sourceName = null)
    {
        if (PngDecoder.IsPng(data))
        {
            return PngDecoder.Decode(data, sourceName);
        }

        if (PnmDecoder.IsPnm(data))
        {
            return PnmDecoder.Decode(data, sourceName);
        }

        if (DicomDecoder.IsDicom(data))
        {
            return DicomDecoder.DecodeImage(data, sourceName);
        }

        if (JpegDecoder.IsJpeg(data))
        {
            return JpegDecoder.Decode(data, sourceName);
        }

        if (NiftiHeader.IsNifti(data) || NiftiDecoder.IsGzip(data))
        {
            throw new InvalidImageException(sourceName, "this is a NIfTI volume (or gzip data); read it with ImageIO.LoadVolume and take a slice.");
        }

        throw new InvalidImageException(sourceName, DescribeUnknown(data));
    }

    /// <summary>Reads the first volume of a NIfTI-1 file (<c>.nii</c> or <c>.nii.gz</c>), or the frames of a gray DICOM file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The volume, with NIfTI <c>scl_slope</c>/<c>scl_inter</c> or DICOM Rescale Slope/Intercept applied.</returns>
    /// <exception cref="InvalidImageException">The file is not a valid, supported NIfTI-1 volume or gray DICOM file.</exception>
    public static Volume LoadVolume(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return DecodeVolume(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads the first volume of a NIfTI-1 file (<c>.nii</c> or <c>.nii.gz</c>), or the frames of a gray DICOM file, asynchronously.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The volume, with NIfTI <c>scl_slope</c>/<c>scl_inter</c> or DICOM Rescale Slope/Intercept applied.</returns>
    /// <exception cref="InvalidImageException">The file is not a valid, supported NIfTI-1 volume or gray DICOM file.</exception>
    public static async Task<Volume> LoadVolumeAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return DecodeVolume(data, path);
    }

    /// <summary>Decodes a NIfTI-1 file (raw or gzip-compressed) or a gray DICOM file held in memory.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="sourceName">A name for error messages, or <see langword="null"/>.</param>
    /// <returns>The first volume.</returns>
    /// <exception cref="InvalidImageException">The data is not a valid, supported NIfTI-1 volume or gray DICOM file.</exception>
    public static Volume DecodeVolume(ReadOnlySpan<byte> data, string? sourceName = null)
    {
        if (DicomDecoder.IsDicom(data))
        {
            return DicomDecoder.DecodeVolume(data, sourceName);
        }

        // A 2-D image passed here by mistake would otherwise be parsed as a NIfTI header and called truncated.
        var image = PngDecoder.IsPng(data) ? "a PNG image" : PnmDecoder.IsPnm(data) ? "a PNM image" : JpegDecoder.IsJpeg(data) ? "a JPEG image" : null;
        if (image is not null)
        {
            throw new InvalidImageException(sourceName, $"this is {image}, not a volume; read it with ImageIO.Load.");
        }

        return NiftiDecoder.Decode(data, sourceName);
    }

    /// <summary>Encodes an image as PNG: gray, gray + alpha, RGB or RGBA by its channel count.</summary>
    /// <param name="image">The image; samples are clamped to [0, 1].</param>
    /// <param name="bitDepth">8 or 16 bits per sample.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The bit depth is not 8 or 16, or a sample is NaN or infinite.</exception>
    public static byte[] EncodePng(ImageData image, int bitDepth = 8)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var buffer = new MemoryStream();
        PngEncoder.Encode(image, bitDepth, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes an image as a PNG file atomically, replacing any existing file: the bytes go to a temporary
    /// file in the same folder that is renamed over the target once complete (see <see cref="AtomicFile"/>), so a
    /// full disk or a crash leaves the previous file whole rather than a truncated PNG.</summary>
    /// <param name="image">The image; samples are clamped to [0, 1].</param>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="bitDepth">8 or 16 bits per sample.</param>
    /// <exception cref="ArgumentException">The bit depth is not 8 or 16, or a sample is NaN or infinite.</exception>
    public static void SavePng(ImageData image, string path, int bitDepth = 8)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = EncodePng(image, bitDepth);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes an image as a PNG file asynchronously and atomically, replacing any existing file, as
    /// <see cref="SavePng"/> does.</summary>
    /// <param name="image">The image; samples are clamped to [0, 1].</param>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="bitDepth">8 or 16 bits per sample.</param>
    /// <param name="cancellationToken">Cancels the write; the previous file stays as it was.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentException">The bit depth is not 8 or 16, or a sample is NaN or infinite.</exception>
    public static Task SavePngAsync(ImageData image, string path, int bitDepth = 8, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = EncodePng(image, bitDepth);
        return AtomicFile.WriteAsync(path, stream => stream.WriteAsync(bytes, cancellationToken).AsTask(), cancellationToken);
    }

    /// <summary>Encodes a gray image as binary PGM (P5) or an RGB image as binary PPM (P6).</summary>
    /// <param name="image">A 1- or 3-channel image; samples are clamped to [0, 1].</param>
    /// <param name="bitDepth">8 (maxval 255) or 16 (maxval 65535).</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">The image has alpha, the bit depth is not 8 or 16, or a sample is not finite.</exception>
    public static byte[] EncodePnm(ImageData image, int bitDepth = 8)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var buffer = new MemoryStream();
        PnmEncoder.Encode(image, bitDepth, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes a gray image as a PGM file or an RGB image as a PPM file, replacing any existing file.</summary>
    /// <param name="image">A 1- or 3-channel image; samples are clamped to [0, 1].</param>
    /// <param name="path">The file to write.</param>
    /// <param name="bitDepth">8 (maxval 255) or 16 (maxval 65535).</param>
    /// <exception cref="ArgumentException">The image has alpha, the bit depth is not 8 or 16, or a sample is not finite.</exception>
    public static void SavePnm(ImageData image, string path, int bitDepth = 8)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, EncodePnm(image, bitDepth));
    }

    private static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "the data is empty.";
        }

        var head = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        return string.Create(CultureInfo.InvariantCulture, $"the format is not recognised (first bytes {head}); PNG, PGM (P5), PPM (P6), DICOM and JPEG are supported.");
    }
}
