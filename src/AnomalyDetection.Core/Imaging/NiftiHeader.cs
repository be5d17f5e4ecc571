using System.Buffers.Binary;
using System.Globalization;

namespace AnomalyDetection.Imaging;

/// <summary>The fields of a NIfTI-1 header that locate and scale the first volume, validated.</summary>
internal sealed record NiftiHeader(
    int Width,
    int Height,
    int Depth,
    short DataType,
    int BytesPerVoxel,
    bool BigEndian,
    long DataOffset,
    float Slope,
    float Intercept,
    (float X, float Y, float Z) Spacing)
{
    /// <summary>The size of a NIfTI-1 header, which is also its first field.</summary>
    public const int Size = 348;

    /// <summary>Voxels in the first volume.</summary>
    public long VoxelCount => (long)Width * Height * Depth;

    /// <summary>Bytes of the first volume's data.</summary>
    public long DataBytes => VoxelCount * BytesPerVoxel;

    /// <summary>Whether intensities are rescaled as stored × slope + intercept (a zero or non-finite slope means no).</summary>
    public bool Scaled => Slope != 0 && float.IsFinite(Slope);

    /// <summary>Whether <paramref name="data"/> starts with a NIfTI-1 header in either byte order.</summary>
    public static bool IsNifti(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && (BinaryPrimitives.ReadInt32LittleEndian(data) == Size || BinaryPrimitives.ReadInt32BigEndian(data) == Size);

    /// <summary>Parses and validates the 348-byte header.</summary>
    /// <exception cref="InvalidImageException">The header is malformed or describes an unsupported volume.</exception>
    public static NiftiHeader Parse(ReadOnlySpan<byte> header, string? path)
    {
        if (header.Length < Size)
        {
            throw new InvalidImageException(path, $"the NIfTI header needs {Size} bytes but only {header.Length} are present; the file is truncated.");
        }

        bool bigEndian;
        if (BinaryPrimitives.ReadInt32LittleEndian(header) == Size)
        {
            bigEndian = false;
        }
        else if (BinaryPrimitives.ReadInt32BigEndian(header) == Size)
        {
            bigEndian = true;
        }
        else
        {
            var sizeField = BinaryPrimitives.ReadInt32LittleEndian(header);
            throw new InvalidImageException(path, sizeField == 540 || BinaryPrimitives.ReadInt32BigEndian(header) == 540
                ? "NIfTI-2 files are not supported; only NIfTI-1."
                : $"the header size field is {sizeField}, not {Size}; this is not a NIfTI-1 file.");
        }

        var magic = header.Slice(344, 4);
        if (magic.SequenceEqual("ni1\0"u8))
        {
            throw new InvalidImageException(path, "this is the header of a NIfTI-1 pair (.hdr/.img); only single-file .nii/.nii.gz volumes are supported.");
        }

        if (!magic.SequenceEqual("n+1\0"u8))
        {
            throw new InvalidImageException(path, "the NIfTI magic 'n+1' is missing.");
        }

        var reader = new FieldReader(header, bigEndian);
        var rank = reader.Int16(40);
        if (rank is < 2 or > 4)
        {
            throw new InvalidImageException(path, $"dim[0] (the number of dimensions) is {rank}; only 2 to 4 are supported (of 4, the first volume is read).");
        }

        Span<int> dims = [1, 1, 1];
        for (var i = 1; i <= rank; i++)
        {
            var size = reader.Int16(40 + (2 * i));
            if (size < 1)
            {
                throw new InvalidImageException(path, $"dimension {i} has size {size}; sizes must be at least 1.");
            }

            if (i <= 3)
            {
                dims[i - 1] = size;
            }
        }

        var voxels = (long)dims[0] * dims[1] * dims[2];
        if (voxels > ImageLimits.MaxVoxels)
        {
            throw new InvalidImageException(path, $"the volume {dims[0]}×{dims[1]}×{dims[2]} exceeds the limit of {ImageLimits.MaxVoxels} voxels.");
        }

        var dataType = reader.Int16(70);
        var bytesPerVoxel = dataType switch
        {
            2 or 256 => 1,
            4 or 512 => 2,
            8 or 16 or 768 => 4,
            64 => 8,
            _ => throw new InvalidImageException(path, $"NIfTI datatype {dataType} is not supported (uint8 2, int16 4, int32 8, float32 16, float64 64, int8 256, uint16 512, uint32 768 are)."),
        };
        var bitsPerVoxel = reader.Int16(72);
        if (bitsPerVoxel != bytesPerVoxel * 8)
        {
            throw new InvalidImageException(path, $"bitpix is {bitsPerVoxel} but datatype {dataType} stores {bytesPerVoxel * 8} bits per voxel.");
        }

        var offset = reader.Single(108);
        if (!(offset >= Size) || offset != MathF.Floor(offset) || offset > int.MaxValue)
        {
            throw new InvalidImageException(path, string.Create(CultureInfo.InvariantCulture, $"vox_offset {offset} is not a whole number of bytes at or after the {Size}-byte header."));
        }

        var slope = reader.Single(112);
        var intercept = reader.Single(116);
        return new NiftiHeader(
            dims[0],
            dims[1],
            dims[2],
            dataType,
            bytesPerVoxel,
            bigEndian,
            (long)offset,
            slope,
            float.IsFinite(intercept) ? intercept : 0,
            (SpacingValue(reader.Single(80)), SpacingValue(reader.Single(84)), SpacingValue(reader.Single(88))));
    }

    /// <summary>Converts the first volume's stored values into scaled intensities; non-finite values become 0.</summary>
    public float[] Convert(ReadOnlySpan<byte> raw)
    {
        var voxels = new float[VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            var at = raw[(i * BytesPerVoxel)..];
            double value = DataType switch
            {
                2 => at[0],
                256 => (sbyte)at[0],
                4 => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(at) : BinaryPrimitives.ReadInt16LittleEndian(at),
                512 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at),
                8 => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(at) : BinaryPrimitives.ReadInt32LittleEndian(at),
                768 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at),
                16 => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(at) : BinaryPrimitives.ReadSingleLittleEndian(at),
                _ => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(at) : BinaryPrimitives.ReadDoubleLittleEndian(at),
            };
            if (Scaled)
            {
                value = (value * Slope) + Intercept;
            }

            var single = (float)value;
            voxels[i] = float.IsFinite(single) ? single : 0f;
        }

        return voxels;
    }

    private static float SpacingValue(float value) => float.IsFinite(value) ? Math.Abs(value) : 0f;

    /// <summary>Reads header fields in the file's byte order.</summary>
    private readonly ref struct FieldReader(ReadOnlySpan<byte> header, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _header = header;

        public short Int16(int offset) => bigEndian
            ? BinaryPrimitives.ReadInt16BigEndian(_header[offset..])
            : BinaryPrimitives.ReadInt16LittleEndian(_header[offset..]);

        public float Single(int offset) => bigEndian
            ? BinaryPrimitives.ReadSingleBigEndian(_header[offset..])
            : BinaryPrimitives.ReadSingleLittleEndian(_header[offset..]);
    }
}
