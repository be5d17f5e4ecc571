using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// How one axis is resampled: output position o reads source positions <see cref="First"/>[o] and
/// <see cref="Second"/>[o] with weights <see cref="FirstWeight"/>[o] and <see cref="SecondWeight"/>[o]. Nearest
/// resampling has a single tap per position.
/// </summary>
internal sealed class AxisTaps
{
    private AxisTaps(int inputSize, int outputSize, bool singleTap)
    {
        InputSize = inputSize;
        SingleTap = singleTap;
        First = new int[outputSize];
        Second = new int[outputSize];
        FirstWeight = new float[outputSize];
        SecondWeight = new float[outputSize];
    }

    public int InputSize { get; }

    public int OutputSize => First.Length;

    /// <summary>True when every position reads only <see cref="First"/> with weight 1.</summary>
    public bool SingleTap { get; }

    public int[] First { get; }

    public int[] Second { get; }

    public float[] FirstWeight { get; }

    public float[] SecondWeight { get; }

    /// <summary>PyTorch's 'nearest': source = min(floor(o · scale), in − 1) with scale = in / out in float32.</summary>
    public static AxisTaps Nearest(int inputSize, int outputSize)
    {
        var taps = new AxisTaps(inputSize, outputSize, singleTap: true);
        var scale = (float)inputSize / outputSize;
        for (var o = 0; o < outputSize; o++)
        {
            taps.First[o] = taps.Second[o] = Math.Min((int)MathF.Floor(o * scale), inputSize - 1);
            taps.FirstWeight[o] = 1f;
        }

        return taps;
    }

    /// <summary>
    /// PyTorch's linear source positions: with aligned corners o·(in − 1)/(out − 1); otherwise (o + ½)·in/out − ½,
    /// clamped at 0. The two taps are the position's floor and the next pixel (the same pixel at the last one). To
    /// give PyTorch's weights bit for bit, the ratio is a float32 and the position is computed from it in double.
    /// </summary>
    public static AxisTaps Linear(int inputSize, int outputSize, bool alignCorners)
    {
        var taps = new AxisTaps(inputSize, outputSize, singleTap: false);
        double scale = alignCorners
            ? outputSize > 1 ? (float)(inputSize - 1) / (outputSize - 1) : 0f
            : (float)inputSize / outputSize;
        for (var o = 0; o < outputSize; o++)
        {
            var source = alignCorners ? scale * o : Math.Max(0, (scale * (o + 0.5)) - 0.5);
            var first = (int)source;
            var lambda = (float)(source - first);
            taps.First[o] = first;
            taps.Second[o] = first < inputSize - 1 ? first + 1 : first;
            taps.FirstWeight[o] = 1f - lambda;
            taps.SecondWeight[o] = lambda;
        }

        return taps;
    }
}

/// <summary>
/// Separable two-tap resampling of NCHW planes (nearest and bilinear) and its adjoint. Each plane is resampled along
/// W into a buffer of input rows, then output rows are weighted sums of two buffer rows (vectorised).
/// </summary>
internal static class ResamplingKernels
{
    private const int ParallelGrain = 1 << 16;

    public static float[] Resample(float[] x, int planes, AxisTaps rows, AxisTaps columns)
    {
        var inPlane = rows.InputSize * columns.InputSize;
        var outWidth = columns.OutputSize;
        var outPlane = rows.OutputSize * outWidth;
        var result = GC.AllocateUninitializedArray<float>(planes * outPlane);
        Parallelism.For(planes, MinPlanesPerThread(inPlane + outPlane), (start, end) =>
        {
            var buffer = new float[rows.InputSize * outWidth];
            for (var p = start; p < end; p++)
            {
                var plane = x.AsSpan(p * inPlane, inPlane);
                for (var h = 0; h < rows.InputSize; h++)
                {
                    ResampleRow(plane.Slice(h * columns.InputSize, columns.InputSize), columns, buffer.AsSpan(h * outWidth, outWidth));
                }

                for (var o = 0; o < rows.OutputSize; o++)
                {
                    var destination = result.AsSpan((p * outPlane) + (o * outWidth), outWidth);
                    var first = buffer.AsSpan(rows.First[o] * outWidth, outWidth);
                    if (rows.SingleTap)
                    {
                        first.CopyTo(destination);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(first, rows.FirstWeight[o], destination);
                        TensorPrimitives.MultiplyAdd(buffer.AsSpan(rows.Second[o] * outWidth, outWidth), rows.SecondWeight[o], destination, destination);
                    }
                }
            }
        });
        return result;
    }

    /// <summary>The adjoint of <see cref="Resample"/>: spreads each output gradient back onto its source taps.</summary>
    public static float[] ResampleAdjoint(float[] g, int planes, AxisTaps rows, AxisTaps columns)
    {
        var inWidth = columns.InputSize;
        var inPlane = rows.InputSize * inWidth;
        var outWidth = columns.OutputSize;
        var outPlane = rows.OutputSize * outWidth;
        var result = new float[planes * inPlane];
        Parallelism.For(planes, MinPlanesPerThread(inPlane + outPlane), (start, end) =>
        {
            var buffer = new float[rows.InputSize * outWidth];
            for (var p = start; p < end; p++)
            {
                Array.Clear(buffer);
                for (var o = 0; o < rows.OutputSize; o++)
                {
                    var source = g.AsSpan((p * outPlane) + (o * outWidth), outWidth);
                    var first = buffer.AsSpan(rows.First[o] * outWidth, outWidth);
                    if (rows.SingleTap)
                    {
                        TensorPrimitives.Add(first, source, first);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(source, rows.FirstWeight[o], first, first);
                        var second = buffer.AsSpan(rows.Second[o] * outWidth, outWidth);
                        TensorPrimitives.MultiplyAdd(source, rows.SecondWeight[o], second, second);
                    }
                }

                var plane = result.AsSpan(p * inPlane, inPlane);
                for (var h = 0; h < rows.InputSize; h++)
                {
                    ResampleRowAdjoint(buffer.AsSpan(h * outWidth, outWidth), columns, plane.Slice(h * inWidth, inWidth));
                }
            }
        });
        return result;
    }

    private static void ResampleRow(ReadOnlySpan<float> source, AxisTaps columns, Span<float> destination)
    {
        var first = columns.First;
        if (columns.SingleTap)
        {
            for (var o = 0; o < destination.Length; o++)
            {
                destination[o] = source[first[o]];
            }

            return;
        }

        var second = columns.Second;
        var firstWeight = columns.FirstWeight;
        var secondWeight = columns.SecondWeight;
        for (var o = 0; o < destination.Length; o++)
        {
            destination[o] = (source[first[o]] * firstWeight[o]) + (source[second[o]] * secondWeight[o]);
        }
    }

    private static void ResampleRowAdjoint(ReadOnlySpan<float> gradient, AxisTaps columns, Span<float> destination)
    {
        var first = columns.First;
        if (columns.SingleTap)
        {
            for (var o = 0; o < gradient.Length; o++)
            {
                destination[first[o]] += gradient[o];
            }

            return;
        }

        var second = columns.Second;
        var firstWeight = columns.FirstWeight;
        var secondWeight = columns.SecondWeight;
        for (var o = 0; o < gradient.Length; o++)
        {
            destination[first[o]] += gradient[o] * firstWeight[o];
            destination[second[o]] += gradient[o] * secondWeight[o];
        }
    }

    private static int MinPlanesPerThread(int elementsPerPlane) => Math.Max(1, ParallelGrain / Math.Max(1, elementsPerPlane));
}
