using System.Globalization;

namespace AnomalyDetection.Imaging;

/// <summary>The image pixel module of a DICOM data set (size, sample layout, rescale and window), validated.</summary>
internal sealed record DicomPixelFormat(
    int Rows,
    int Columns,
    int Frames,
    int Samples,
    string Photometric,
    bool Planar,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    bool Signed,
    double Slope,
    double Intercept,
    IntensityWindow? Window,
    (float X, float Y, float Z) Spacing)
{
    /// <summary>Samples in one frame.</summary>
    public long FrameSamples => (long)Rows * Columns * Samples;

    /// <summary>Bytes of native pixel data the frames need.</summary>
    public long DataBytes => FrameSamples * Frames * (BitsAllocated / 8);

    /// <summary>Whether the image is displayed with high values dark (MONOCHROME1).</summary>
    public bool Inverted => Photometric == "MONOCHROME1";

    /// <summary>The smallest stored value the bit depth and sign allow.</summary>
    public long StoredMinimum => Signed ? -(1L << (BitsStored - 1)) : 0;

    /// <summary>The largest stored value the bit depth and sign allow.</summary>
    public long StoredMaximum => Signed ? (1L << (BitsStored - 1)) - 1 : (1L << BitsStored) - 1;

    /// <summary>Reads and validates the pixel module; checks sizes against <see cref="ImageLimits"/>.</summary>
    /// <param name="set">The parsed data set.</param>
    /// <param name="data">The bytes the data set's offsets refer to.</param>
    /// <param name="compressed">Whether the pixel data is encapsulated JPEG, which decodes to 8-bit gray or RGB.</param>
    /// <exception cref="InvalidImageException">An attribute is missing, inconsistent or unsupported.</exception>
    public static DicomPixelFormat Parse(DicomDataSet set, ReadOnlySpan<byte> data, bool compressed)
    {
        var path = set.Path;
        var rows = set.UInt16(data, 0x00280010, 0);
        var columns = set.UInt16(data, 0x00280011, 0);
        if (rows < 1 || columns < 1)
        {
            throw new InvalidImageException(path, $"Rows (0028,0010) is {rows} and Columns (0028,0011) is {columns}; both must be at least 1.");
        }

        var frameCount = set.Number(data, 0x00280008) ?? 1;
        if (frameCount < 1 || frameCount != Math.Floor(frameCount) || frameCount > int.MaxValue)
        {
            throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"Number of Frames (0028,0008) is {frameCount}; it must be a whole number of at least 1."));
        }

        var frames = (int)frameCount;
        var pixels = (long)rows * columns;
        if (pixels > ImageLimits.MaxPixels || pixels * frames > ImageLimits.MaxVoxels)
        {
            throw new InvalidImageException(path, $"{frames} frame(s) of {columns}×{rows} pixels exceed the limit of {ImageLimits.MaxPixels} pixels per frame and {ImageLimits.MaxVoxels} in all.");
        }

        var samples = set.UInt16(data, 0x00280002, 1);
        var photometric = set.Text(data, 0x00280004) ?? (samples == 1 ? "MONOCHROME2" : string.Empty);
        var colour = compressed ? photometric is "RGB" or "YBR_FULL" or "YBR_FULL_422" : photometric == "RGB";
        if (!(samples == 1 && photometric is "MONOCHROME1" or "MONOCHROME2") && !(samples == 3 && colour))
        {
            throw new InvalidImageException(path, photometric == "PALETTE COLOR"
                ? "PALETTE COLOR images are not supported; MONOCHROME1, MONOCHROME2 and RGB are."
                : $"Photometric Interpretation '{Clip(photometric)}' with {samples} sample(s) per pixel is not supported; MONOCHROME1 and MONOCHROME2 (1 sample) and RGB (3 samples) are.");
        }

        var bitsAllocated = set.UInt16(data, 0x00280100, 0);
        var bitsStored = set.UInt16(data, 0x00280101, bitsAllocated);
        var highBit = set.UInt16(data, 0x00280102, bitsStored - 1);
        var signed = set.UInt16(data, 0x00280103, 0);
        if (bitsAllocated is not (8 or 16))
        {
            throw new InvalidImageException(path, $"Bits Allocated (0028,0100) is {bitsAllocated}; only 8 and 16 are supported.");
        }

        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
        {
            throw new InvalidImageException(path, $"Bits Stored {bitsStored} and High Bit {highBit} do not fit in Bits Allocated {bitsAllocated}.");
        }

        if (signed is not (0 or 1) || (samples == 3 && signed == 1))
        {
            throw new InvalidImageException(path, $"Pixel Representation (0028,0103) is {signed}; it must be 0 (unsigned) or 1 (signed, gray images only).");
        }

        if (compressed && (bitsAllocated != 8 || bitsStored != 8 || signed != 0))
        {
            throw new InvalidImageException(path, $"baseline JPEG pixel data must be 8-bit unsigned, but the file declares {bitsStored} of {bitsAllocated} bits{(signed == 1 ? ", signed" : string.Empty)}.");
        }

        var planar = set.UInt16(data, 0x00280006, 0);
        if (samples == 3 && planar is not (0 or 1))
        {
            throw new InvalidImageException(path, $"Planar Configuration (0028,0006) is {planar}; it must be 0 (interleaved) or 1 (planar).");
        }

        var slope = set.Number(data, 0x00281053) ?? 1;
        var intercept = set.Number(data, 0x00281052) ?? 0;
        if (slope == 0)
        {
            throw new InvalidImageException(path, "Rescale Slope (0028,1053) is 0, which maps every pixel to one value.");
        }

        return new DicomPixelFormat(rows, columns, frames, samples, photometric, samples == 3 && planar == 1 && !compressed, bitsAllocated, bitsStored,
            highBit, signed == 1, slope, intercept, ReadWindow(set, data), ReadSpacing(set, data));
    }

    /// <summary>The stored value of sample <paramref name="index"/> of native pixel data: the bits from High Bit down,
    /// sign-extended when signed.</summary>
    public long Stored(ReadOnlySpan<byte> raw, long index)
    {
        int word = BitsAllocated == 8 ? raw[(int)index] : raw[(int)(2 * index)] | (raw[(int)(2 * index) + 1] << 8);
        var value = (word >> (HighBit + 1 - BitsStored)) & (int)((1L << BitsStored) - 1);
        return Signed && (value & (1 << (BitsStored - 1))) != 0 ? value - (1L << BitsStored) : value;
    }

    private static IntensityWindow? ReadWindow(DicomDataSet set, ReadOnlySpan<byte> data)
    {
        // The first window of (possibly several) the file offers; one that is malformed or narrower than 2 is ignored,
        // since windowing is optional and the pixels are still readable.
        try
        {
            var centre = set.Number(data, 0x00281050);
            var width = set.Number(data, 0x00281051);
            return centre is { } c && width is { } w && w > 1 && double.IsFinite(c - w) ? IntensityWindow.CenterWidth(c, w) : null;
        }
        catch (Exception ex) when (ex is InvalidImageException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static (float X, float Y, float Z) ReadSpacing(DicomDataSet set, ReadOnlySpan<byte> data)
    {
        try
        {
            // Pixel Spacing is row spacing (between rows, along y) then column spacing (along x).
            return (Positive(set.Number(data, 0x00280030, 1)), Positive(set.Number(data, 0x00280030, 0)), Positive(set.Number(data, 0x00180088)));
        }
        catch (InvalidImageException)
        {
            return (0, 0, 0);
        }

        static float Positive(double? value) => value is > 0 and < float.MaxValue ? (float)value.Value : 0f;
    }

    private static string Clip(string text) => new([.. text.Take(32).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
