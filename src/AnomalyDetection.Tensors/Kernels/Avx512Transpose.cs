using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>An in-register 16 × 16 float transpose (64 shuffles) for packing operands whose depth runs along memory.</summary>
internal static unsafe class Avx512Transpose
{
    /// <summary>
    /// Writes the transpose of the 16 × 16 block at <paramref name="source"/> (rows <paramref name="sourceStride"/>
    /// floats apart) to <paramref name="destination"/> (rows <paramref name="destinationStride"/> floats apart).
    /// Only the first <paramref name="rows"/> source rows are read (the rest count as zero), and only the first
    /// <paramref name="columns"/> floats of each destination row are written.
    /// </summary>
    public static void Transpose16x16(float* source, nint sourceStride, float* destination, nint destinationStride, int rows = 16, int columns = 16)
    {
        // Interleave pairs of rows, then pairs of pairs: within each 128-bit lane L, quad g·4 + c then holds column
        // 4L + c of rows 4g … 4g + 3. A 4 × 4 transpose of 128-bit lanes across the four row groups gives columns.
        Quads(source, sourceStride, rows, out var a0, out var a1, out var a2, out var a3);
        Quads(source + (4 * sourceStride), sourceStride, rows - 4, out var b0, out var b1, out var b2, out var b3);
        Quads(source + (8 * sourceStride), sourceStride, rows - 8, out var c0, out var c1, out var c2, out var c3);
        Quads(source + (12 * sourceStride), sourceStride, rows - 12, out var d0, out var d1, out var d2, out var d3);
        var mask = Avx512LaneMask.FromBits((1u << columns) - 1);
        Columns(a0, b0, c0, d0, destination, destinationStride, columns, mask);
        Columns(a1, b1, c1, d1, destination + destinationStride, destinationStride, columns, mask);
        Columns(a2, b2, c2, d2, destination + (2 * destinationStride), destinationStride, columns, mask);
        Columns(a3, b3, c3, d3, destination + (3 * destinationStride), destinationStride, columns, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quads(
        float* source, nint stride, int rows, out Vector512<float> q0, out Vector512<float> q1, out Vector512<float> q2, out Vector512<float> q3)
    {
        var r0 = rows > 0 ? Vector512.Load(source) : default;
        var r1 = rows > 1 ? Vector512.Load(source + stride) : default;
        var r2 = rows > 2 ? Vector512.Load(source + (2 * stride)) : default;
        var r3 = rows > 3 ? Vector512.Load(source + (3 * stride)) : default;
        var t0 = Avx512F.UnpackLow(r0, r1).AsDouble();
        var t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        var t2 = Avx512F.UnpackLow(r2, r3).AsDouble();
        var t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        q0 = Avx512F.UnpackLow(t0, t2).AsSingle();
        q1 = Avx512F.UnpackHigh(t0, t2).AsSingle();
        q2 = Avx512F.UnpackLow(t1, t3).AsSingle();
        q3 = Avx512F.UnpackHigh(t1, t3).AsSingle();
    }

    /// <summary>Writes columns c, 4 + c, 8 + c and 12 + c from the quads of column c of the four row groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(
        Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* destination, nint stride, int columns, Vector512<float> mask)
    {
        var ab0 = Avx512F.Shuffle4x128(a, b, 0x44);
        var ab1 = Avx512F.Shuffle4x128(a, b, 0xEE);
        var cd0 = Avx512F.Shuffle4x128(c, d, 0x44);
        var cd1 = Avx512F.Shuffle4x128(c, d, 0xEE);
        Store(Avx512F.Shuffle4x128(ab0, cd0, 0x88), destination, columns, mask);
        Store(Avx512F.Shuffle4x128(ab0, cd0, 0xDD), destination + (4 * stride), columns, mask);
        Store(Avx512F.Shuffle4x128(ab1, cd1, 0x88), destination + (8 * stride), columns, mask);
        Store(Avx512F.Shuffle4x128(ab1, cd1, 0xDD), destination + (12 * stride), columns, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> value, float* destination, int columns, Vector512<float> mask)
    {
        if (columns == 16)
        {
            Vector512.Store(value, destination);
        }
        else
        {
            Avx512F.MaskStore(destination, mask, value);
        }
    }
}
