using System.Globalization;

namespace AnomalyDetection.Tensors;

/// <summary>Shape arithmetic shared by every operation: counts, strides, broadcasting and validation.</summary>
internal static class ShapeUtil
{
    public static int Count(ReadOnlySpan<int> shape)
    {
        var n = 1;
        foreach (var d in shape)
        {
            n *= d;
        }

        return n;
    }

    /// <summary>The element count, with a clear error for negative sizes or sizes past the 2^31 element limit.</summary>
    public static int CheckedCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.");
            }

            n *= d;
            if (n > Array.MaxLength)
            {
                throw new ArgumentException($"Shape {Format(shape)} has more elements than one array can hold.");
            }
        }

        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }

        return strides;
    }

    public static int NormalizeDim(int dim, int rank)
    {
        var d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of rank {rank}.");
        }

        return d;
    }

    public static int Offset(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length)
        {
            throw new ArgumentException($"Index has {index.Length} components but the tensor has rank {shape.Length}.");
        }

        var offset = 0;
        for (var i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
            {
                throw new IndexOutOfRangeException($"Index {index[i]} is out of range for dimension {i} of size {shape[i]}.");
            }

            offset += index[i] * strides[i];
        }

        return offset;
    }

    /// <summary>The NumPy broadcast of two shapes.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>Strides that read a tensor of shape <paramref name="shape"/> as if it had shape <paramref name="target"/>
    /// (zero stride on broadcast dimensions).</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        var strides = ContiguousStrides(shape);
        var result = new int[target.Length];
        var shift = target.Length - shape.Length;
        for (var i = 0; i < shape.Length; i++)
        {
            result[i + shift] = shape[i] == 1 && target[i + shift] != 1 ? 0 : strides[i];
        }

        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
