namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Iteration over an output shape with up to two broadcast operands, with adjacent dimensions merged wherever every
/// operand is contiguous across them, so that the innermost loop runs over runs as long as possible.
/// </summary>
internal readonly struct StridedLayout
{
    public readonly int[] Shape;
    public readonly int[] StridesA;
    public readonly int[] StridesB;

    private StridedLayout(int[] shape, int[] stridesA, int[] stridesB)
    {
        Shape = shape;
        StridesA = stridesA;
        StridesB = stridesB;
    }

    /// <summary>The length of the innermost run.</summary>
    public int Inner => Shape.Length == 0 ? 1 : Shape[^1];

    /// <summary>The number of innermost runs.</summary>
    public int Rows => Shape.Length <= 1 ? 1 : ShapeUtil.Count(Shape.AsSpan(0, Shape.Length - 1));

    /// <summary>The innermost stride of operand A (0 when A is broadcast along it, 1 when contiguous).</summary>
    public int InnerStrideA => Shape.Length == 0 ? 0 : StridesA[^1];

    /// <summary>The innermost stride of operand B.</summary>
    public int InnerStrideB => Shape.Length == 0 ? 0 : StridesB[^1];

    public static StridedLayout Create(ReadOnlySpan<int> outShape, int[] stridesA, int[] stridesB)
    {
        var shape = new List<int>(outShape.Length);
        var sa = new List<int>(outShape.Length);
        var sb = new List<int>(outShape.Length);
        for (var i = 0; i < outShape.Length; i++)
        {
            if (outShape[i] == 1)
            {
                continue;
            }

            if (shape.Count > 0 && sa[^1] == stridesA[i] * outShape[i] && sb[^1] == stridesB[i] * outShape[i])
            {
                shape[^1] *= outShape[i];
                sa[^1] = stridesA[i];
                sb[^1] = stridesB[i];
                continue;
            }

            shape.Add(outShape[i]);
            sa.Add(stridesA[i]);
            sb.Add(stridesB[i]);
        }

        return new StridedLayout([.. shape], [.. sa], [.. sb]);
    }

    /// <summary>The offsets of row <paramref name="row"/> into A and B.</summary>
    public void RowOffsets(int row, out int offsetA, out int offsetB)
    {
        offsetA = 0;
        offsetB = 0;
        for (var d = Shape.Length - 2; d >= 0 && row > 0; d--)
        {
            var i = row % Shape[d];
            row /= Shape[d];
            offsetA += i * StridesA[d];
            offsetB += i * StridesB[d];
        }
    }
}
