using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The maximum along one dimension and where it first occurs (a NaN counts as the maximum, as in PyTorch).</summary>
internal static class ArgMaxKernels
{
    /// <summary>Per (outer, inner) position, the maximum along the layout's dimension and its first index (as a float).</summary>
    public static (float[] Values, float[] Indices) AlongDim(float[] x, DimLayout layout)
    {
        var values = new float[layout.Outer * layout.Inner];
        var indices = new float[values.Length];
        layout.For((outer, column, columns) =>
        {
            var offset = layout.Offset(outer, column);
            var output = (outer * layout.Inner) + column;
            if (layout.Inner == 1)
            {
                var index = TensorPrimitives.IndexOfMax<float>(x.AsSpan(offset, layout.Size));
                values[output] = x[offset + index];
                indices[output] = index;
                return;
            }

            var max = values.AsSpan(output, columns);
            var at = indices.AsSpan(output, columns);
            x.AsSpan(offset, columns).CopyTo(max);
            for (var d = 1; d < layout.Size; d++)
            {
                TensorPrimitives.Max(max, x.AsSpan(offset + (d * layout.Inner), columns), max);
            }

            // Walking down the dimension, each row that holds the maximum overwrites the index, so the first one wins.
            for (var d = layout.Size - 1; d >= 0; d--)
            {
                VectorLoop.Map(new FirstMaximumOperator(d), x.AsSpan(offset + (d * layout.Inner), columns), max, at, at);
            }
        });
        return (values, indices);
    }

    /// <summary>(row, maximum, index) → d where the row holds the maximum (or a NaN, which the maximum then is), else index.</summary>
    private readonly struct FirstMaximumOperator(int d) : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> row, Vector512<float> max, Vector512<float> index) =>
            Vector512.ConditionalSelect(Vector512.Equals(row, max) | ~Vector512.Equals(row, row), Vector512.Create((float)d), index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> row, Vector256<float> max, Vector256<float> index) =>
            Vector256.ConditionalSelect(Vector256.Equals(row, max) | ~Vector256.Equals(row, row), Vector256.Create((float)d), index);
    }
}
