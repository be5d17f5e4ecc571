using System.Buffers.Binary;
using System.IO.Compression;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Writes small single-file NIfTI-1 volumes (header fields at their standard offsets, data at byte 352).</summary>
public static class NiftiBuilder
{
    public const int DimOffset = 40;
    public const int DataTypeOffset = 70;
    public const int BitPixOffset = 72;
    public const int VoxOffsetOffset = 108;
    public const int SlopeOffset = 112;
    public const int DataStart = 352;

    /// <summary>A volume of the given NIfTI datatype (2 uint8, 4 int16, 16 float32, 64 float64) with patterned voxels.</summary>
    public static byte[] Volume(int width, int height, int depth, short dataType, bool bigEndian = false, int volumes = 1)
    {
        var bytesPerVoxel = dataType switch { 2 => 1, 4 => 2, 16 => 4, _ => 8 };
        var voxels = width * height * depth * volumes;
        var file = new byte[DataStart + (voxels * bytesPerVoxel)];
        WriteInt32(file, 0, 348, bigEndian);
        WriteInt16(file, DimOffset, (short)(volumes > 1 ? 4 : 3), bigEndian);
        WriteInt16(file, DimOffset + 2, (short)width, bigEndian);
        WriteInt16(file, DimOffset + 4, (short)height, bigEndian);
        WriteInt16(file, DimOffset + 6, (short)depth, bigEndian);
        WriteInt16(file, DimOffset + 8, (short)volumes, bigEndian);
        WriteInt16(file, DataTypeOffset, dataType, bigEndian);
        WriteInt16(file, BitPixOffset, (short)(bytesPerVoxel * 8), bigEndian);
        WriteSingle(file, 80, 1f, bigEndian);
        WriteSingle(file, 84, 1f, bigEndian);
        WriteSingle(file, 88, 2f, bigEndian);
        WriteSingle(file, VoxOffsetOffset, DataStart, bigEndian);
        "n+1\0"u8.CopyTo(file.AsSpan(344));
        for (var i = 0; i < voxels; i++)
        {
            var at = file.AsSpan(DataStart + (i * bytesPerVoxel));
            switch (dataType)
            {
                case 2: at[0] = (byte)(i * 7); break;
                case 4: WriteInt16(file, DataStart + (i * 2), (short)((i * 37) - 100), bigEndian); break;
                case 16: WriteSingle(file, DataStart + (i * 4), i * 0.5f, bigEndian); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(at, i * 0.25); break;
            }
        }

        return file;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    public static void WriteSingle(byte[] file, int offset, float value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteSingleBigEndian(file.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(offset), value);
        }
    }

    private static void WriteInt16(byte[] file, int offset, short value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt16BigEndian(file.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(offset), value);
        }
    }

    private static void WriteInt32(byte[] file, int offset, int value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(offset), value);
        }
    }
}
