using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Softmax and log-softmax along one dimension, forward and fused first-order backward. Rows along the last dimension
/// are contiguous and vectorise along the row; along any other dimension the kernels work on blocks of inner columns,
/// vectorising across columns and accumulating row by row.
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>y = e^(x − max) / Σ e^(x − max), or its logarithm x − max − log Σ e^(x − max).</summary>
    public static float[] Forward(float[] x, DimLayout layout, bool log)
    {
        var y = GC.AllocateUninitializedArray<float>(x.Length);
        var (size, inner) = (layout.Size, layout.Inner);
        layout.For((outer, column, columns) =>
        {
            var offset = layout.Offset(outer, column);
            if (inner == 1)
            {
                var row = x.AsSpan(offset, size);
                var output = y.AsSpan(offset, size);
                var max = TensorPrimitives.Max<float>(row);
                TensorPrimitives.Subtract(row, max, output);
                TensorPrimitives.Exp(output, output);
                var sum = TensorPrimitives.Sum<float>(output);
                if (log)
                {
                    TensorPrimitives.Subtract(row, max + MathF.Log(sum), output);
                }
                else
                {
                    TensorPrimitives.Divide(output, sum, output);
                }

                return;
            }

            Span<float> maxima = stackalloc float[columns];
            Span<float> sums = stackalloc float[columns];
            x.AsSpan(offset, columns).CopyTo(maxima);
            for (var d = 1; d < size; d++)
            {
                TensorPrimitives.Max(maxima, x.AsSpan(offset + (d * inner), columns), maxima);
            }

            sums.Clear();
            for (var d = 0; d < size; d++)
            {
                var output = y.AsSpan(offset + (d * inner), columns);
                TensorPrimitives.Subtract(x.AsSpan(offset + (d * inner), columns), maxima, output);
                TensorPrimitives.Exp(output, output);
                TensorPrimitives.Add(sums, output, sums);
            }

            if (log)
            {
                // log Σ e^(x − max) + max, subtracted from every row.
                TensorPrimitives.Log(sums, sums);
                TensorPrimitives.Add(sums, maxima, sums);
            }

            for (var d = 0; d < size; d++)
            {
                var output = y.AsSpan(offset + (d * inner), columns);
                if (log)
                {
                    TensorPrimitives.Subtract(x.AsSpan(offset + (d * inner), columns), sums, output);
                }
                else
                {
                    TensorPrimitives.Divide(output, sums, output);
                }
            }
        });
        return y;
    }

    /// <summary>Softmax backward: y·(g − Σ g·y).</summary>
    public static float[] SoftmaxBackward(float[] y, float[] g, DimLayout layout)
    {
        var dx = GC.AllocateUninitializedArray<float>(y.Length);
        var (size, inner) = (layout.Size, layout.Inner);
        layout.For((outer, column, columns) =>
        {
            var offset = layout.Offset(outer, column);
            if (inner == 1)
            {
                var output = dx.AsSpan(offset, size);
                var dot = TensorPrimitives.Dot<float>(g.AsSpan(offset, size), y.AsSpan(offset, size));
                TensorPrimitives.Subtract(g.AsSpan(offset, size), dot, output);
                TensorPrimitives.Multiply(output, y.AsSpan(offset, size), output);
                return;
            }

            Span<float> dots = stackalloc float[columns];
            dots.Clear();
            for (var d = 0; d < size; d++)
            {
                var at = offset + (d * inner);
                TensorPrimitives.MultiplyAdd(g.AsSpan(at, columns), y.AsSpan(at, columns), dots, dots);
            }

            for (var d = 0; d < size; d++)
            {
                var at = offset + (d * inner);
                var output = dx.AsSpan(at, columns);
                TensorPrimitives.Subtract(g.AsSpan(at, columns), dots, output);
                TensorPrimitives.Multiply(output, y.AsSpan(at, columns), output);
            }
        });
        return dx;
    }

    /// <summary>Log-softmax backward: g − e^y·Σ g.</summary>
    public static float[] LogSoftmaxBackward(float[] y, float[] g, DimLayout layout)
    {
        var dx = GC.AllocateUninitializedArray<float>(y.Length);
        var (size, inner) = (layout.Size, layout.Inner);
        layout.For((outer, column, columns) =>
        {
            var offset = layout.Offset(outer, column);
            if (inner == 1)
            {
                var output = dx.AsSpan(offset, size);
                var sum = TensorPrimitives.Sum<float>(g.AsSpan(offset, size));
                TensorPrimitives.Exp(y.AsSpan(offset, size), output);
                TensorPrimitives.MultiplyAdd(output, -sum, g.AsSpan(offset, size), output);
                return;
            }

            Span<float> sums = stackalloc float[columns];
            sums.Clear();
            for (var d = 0; d < size; d++)
            {
                TensorPrimitives.Add(sums, g.AsSpan(offset + (d * inner), columns), sums);
            }

            for (var d = 0; d < size; d++)
            {
                var at = offset + (d * inner);
                var output = dx.AsSpan(at, columns);
                TensorPrimitives.Exp(y.AsSpan(at, columns), output);
                TensorPrimitives.Multiply(output, sums, output);
                TensorPrimitives.Subtract(g.AsSpan(at, columns), output, output);
            }
        });
        return dx;
    }
}
