using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>An element-wise function of one operand, evaluated one SIMD vector at a time.</summary>
internal interface IUnaryOperator
{
    Vector512<float> Invoke(Vector512<float> x);

    Vector256<float> Invoke(Vector256<float> x);
}

/// <summary>An element-wise function of two operands, evaluated one SIMD vector at a time.</summary>
internal interface IBinaryOperator
{
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
}

/// <summary>An element-wise function of three operands, evaluated one SIMD vector at a time.</summary>
internal interface ITernaryOperator
{
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);
}

/// <summary>
/// Applies a vector operator over spans with Vector512 where the hardware has it and Vector256 otherwise (in
/// hardware on AVX2, emulated elsewhere). The last partial vector runs through the same operator on a zero-padded
/// copy, so tail elements get bit-identical results to the body and no operator needs a scalar twin.
/// </summary>
internal static class VectorLoop
{
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(x.Length == destination.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector512<float>.Count];
                Pad(x[(int)i..], a);
                op.Invoke(Vector512.Create<float>(a)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
        else
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector256<float>.Count];
                Pad(x[(int)i..], a);
                op.Invoke(Vector256.Create<float>(a)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
    }

    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        Debug.Assert(x.Length == destination.Length && y.Length == destination.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        ref var ds = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector512<float>.Count];
                Span<float> b = stackalloc float[Vector512<float>.Count];
                Pad(x[(int)i..], a);
                Pad(y[(int)i..], b);
                op.Invoke(Vector512.Create<float>(a), Vector512.Create<float>(b)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
        else
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector256<float>.Count];
                Span<float> b = stackalloc float[Vector256<float>.Count];
                Pad(x[(int)i..], a);
                Pad(y[(int)i..], b);
                op.Invoke(Vector256.Create<float>(a), Vector256.Create<float>(b)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
    }

    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        Debug.Assert(x.Length == destination.Length && y.Length == destination.Length && z.Length == destination.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        ref var zs = ref MemoryMarshal.GetReference(z);
        ref var ds = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), Vector512.LoadUnsafe(ref zs, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector512<float>.Count];
                Span<float> b = stackalloc float[Vector512<float>.Count];
                Span<float> c = stackalloc float[Vector512<float>.Count];
                Pad(x[(int)i..], a);
                Pad(y[(int)i..], b);
                Pad(z[(int)i..], c);
                op.Invoke(Vector512.Create<float>(a), Vector512.Create<float>(b), Vector512.Create<float>(c)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
        else
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), Vector256.LoadUnsafe(ref zs, i)).StoreUnsafe(ref ds, i);
            }

            if (i < n)
            {
                Span<float> a = stackalloc float[Vector256<float>.Count];
                Span<float> b = stackalloc float[Vector256<float>.Count];
                Span<float> c = stackalloc float[Vector256<float>.Count];
                Pad(x[(int)i..], a);
                Pad(y[(int)i..], b);
                Pad(z[(int)i..], c);
                op.Invoke(Vector256.Create<float>(a), Vector256.Create<float>(b), Vector256.Create<float>(c)).CopyTo(a);
                a[..(int)(n - i)].CopyTo(destination[(int)i..]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pad(ReadOnlySpan<float> tail, Span<float> buffer)
    {
        buffer.Clear();
        tail.CopyTo(buffer);
    }
}
