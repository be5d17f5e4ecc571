using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AnomalyDetection.Serialization;

/// <summary>The element types this reader converts to float32, by their safetensors names.</summary>
internal enum SafeTensorsDType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
}

/// <summary>Names, sizes and little-endian decoding of <see cref="SafeTensorsDType"/>.</summary>
internal static class SafeTensorsDTypes
{
    public const string Supported = "F32, F16, BF16, F64, I64 and I32";

    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        // Exact, case-sensitive names: the format spells them in upper case.
        foreach (var candidate in Enum.GetValues<SafeTensorsDType>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    public static int Size(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Converts whole little-endian elements in <paramref name="source"/> to float32 in <paramref name="destination"/>.</summary>
    public static void Decode(SafeTensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafeTensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                if (!BitConverter.IsLittleEndian)
                {
                    var bits = MemoryMarshal.Cast<float, int>(destination[..(source.Length / 4)]);
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }

                break;
            case SafeTensorsDType.F16 when BitConverter.IsLittleEndian:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafeTensorsDType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]));
                }

                break;
            case SafeTensorsDType.BF16:
                // bfloat16 is the top half of a float32.
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                }

                break;
            case SafeTensorsDType.F64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                }

                break;
            case SafeTensorsDType.I64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                }

                break;
            case SafeTensorsDType.I32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype.");
        }
    }

    /// <summary>Writes float32 values as little-endian bytes.</summary>
    public static void EncodeF32(ReadOnlySpan<float> source, Span<byte> destination)
    {
        MemoryMarshal.AsBytes(source).CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            var bits = MemoryMarshal.Cast<byte, int>(destination[..(source.Length * 4)]);
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
    }
}
