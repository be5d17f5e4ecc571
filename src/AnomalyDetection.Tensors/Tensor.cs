using System.Runtime.CompilerServices;
using System.Text;

namespace AnomalyDetection.Tensors;

/// <summary>
/// A dense float32 tensor stored contiguously in row-major order, with optional reverse-mode autograd.
/// </summary>
/// <remarks>
/// Image tensors use the NCHW layout (batch, channels, height, width). Every operation returns a new contiguous
/// tensor; only <see cref="Detach"/> shares storage. Tensors are managed objects: there is nothing to dispose.
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>The backing storage: exactly <see cref="Count"/> elements in row-major order.</summary>
    internal readonly float[] Data;

    internal Tensor(float[] data, int[] shape)
    {
        _shape = shape;
        _strides = ShapeUtil.ContiguousStrides(shape);
        Data = data;
        Debug.Assert(data.Length == ShapeUtil.Count(shape));
    }

    /// <summary>The size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The element step of each dimension; tensors are always contiguous, so the last stride is 1.</summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Count => Data.Length;

    /// <summary>The size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    /// <param name="dim">The dimension index, in [-Rank, Rank).</param>
    public int Size(int dim) => _shape[ShapeUtil.NormalizeDim(dim, Rank)];

    /// <summary>Read-only access to the elements in row-major order.</summary>
    public ReadOnlySpan<float> Span => Data;

    /// <summary>Writable access to the elements. Writing to a tensor that is part of an autograd graph
    /// invalidates the gradients computed through it.</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>Copies the shape into a new array.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>Copies the elements into a new array.</summary>
    public float[] ToArray() => (float[])Data.Clone();

    /// <summary>The value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public float ToScalar()
    {
        if (Data.Length != 1)
        {
            throw new InvalidOperationException($"ToScalar() needs a tensor with one element, but this one has shape {ShapeUtil.Format(_shape)}.");
        }

        return Data[0];
    }

    /// <summary>Gets or sets one element by its full index.</summary>
    /// <param name="index">One index per dimension.</param>
    public float this[params int[] index]
    {
        get => Data[ShapeUtil.Offset(_shape, _strides, index)];
        set => Data[ShapeUtil.Offset(_shape, _strides, index)] = value;
    }

    /// <summary>Creates a tensor that takes ownership of <paramref name="data"/> (no copy).</summary>
    /// <param name="data">Elements in row-major order; its length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The size of each dimension.</param>
    /// <exception cref="ArgumentException">The length does not match the shape, or a dimension is negative.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var count = ShapeUtil.CheckedCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape {ShapeUtil.Format(shape)} holds {count} elements, but the array has {data.Length}.", nameof(data));
        }

        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    /// <param name="data">Elements in row-major order.</param>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor From(ReadOnlySpan<float> data, params int[] shape) => FromArray(data.ToArray(), shape);

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>A tensor of zeros.</summary>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor Zeros(params int[] shape) => new(TensorBufferPool.RentCleared(ShapeUtil.CheckedCount(shape)), (int[])shape.Clone());

    /// <summary>A tensor of ones.</summary>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    /// <param name="value">The fill value.</param>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Uninitialized((int[])shape.Clone());
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A tensor of zeros with the shape of <paramref name="other"/>.</summary>
    /// <param name="other">The tensor whose shape is copied.</param>
    public static Tensor ZerosLike(Tensor other) => new(TensorBufferPool.RentCleared(other.Count), other.ShapeArray());

    /// <summary>A tensor of ones with the shape of <paramref name="other"/>.</summary>
    /// <param name="other">The tensor whose shape is copied.</param>
    public static Tensor OnesLike(Tensor other) => Full(1f, other._shape);

    /// <summary>Values uniform in [<paramref name="low"/>, <paramref name="high"/>) drawn from <paramref name="random"/>.</summary>
    /// <param name="random">The seeded source.</param>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor Uniform(RandomSource random, float low, float high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Uninitialized((int[])shape.Clone());
        random.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Values drawn from a normal distribution.</summary>
    /// <param name="random">The seeded source.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    /// <param name="shape">The size of each dimension.</param>
    public static Tensor Normal(RandomSource random, float mean, float std, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Uninitialized((int[])shape.Clone());
        random.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>A tensor whose elements are not initialised; callers must write every element.</summary>
    internal static Tensor Uninitialized(int[] shape) =>
        new(TensorBufferPool.Rent(ShapeUtil.CheckedCount(shape)), shape);

    /// <summary>A copy of this tensor's values, detached from any graph.</summary>
    public Tensor Clone() => new(ToArray(), ShapeArray());

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeUtil.Format(_shape));
        if (GradFn is not null)
        {
            sb.Append(" grad_fn=").Append(GradFn.Name);
        }
        else if (RequiresGrad)
        {
            sb.Append(" requires_grad");
        }

        sb.Append(" [");
        var n = Math.Min(Data.Length, 8);
        for (var i = 0; i < n; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(Data[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Data.Length > n)
        {
            sb.Append(", …");
        }

        return sb.Append(']').ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);
}
