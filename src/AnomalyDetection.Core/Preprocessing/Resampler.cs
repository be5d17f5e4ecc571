using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Separable resampling: each output coordinate along an axis is a weighted sum of a contiguous run of input
/// coordinates. Rows are resampled first, then columns, with double accumulation and a float32 intermediate, as
/// Pillow does, so results match it to float rounding.
/// </summary>
internal static class Resampler
{
    /// <summary>Resizes every channel of <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static ImageData Resize(ImageData image, int width, int height, ResizeMethod method)
    {
        var pixels = image.Buffer;
        var (currentWidth, currentHeight) = (image.Width, image.Height);
        if (width != currentWidth)
        {
            pixels = Horizontal(pixels, image.Channels * currentHeight, currentWidth, Weights(currentWidth, width, method));
            currentWidth = width;
        }

        if (height != currentHeight)
        {
            pixels = Vertical(pixels, image.Channels, currentHeight, currentWidth, Weights(currentHeight, height, method));
        }

        return pixels == image.Buffer
            ? image
            : new ImageData(width, height, image.Channels, pixels, image.SourceBitDepth);
    }

    /// <summary>The weights of each output coordinate along one axis.</summary>
    internal static AxisWeights Weights(int inputSize, int outputSize, ResizeMethod method) =>
        method == ResizeMethod.Area ? AreaWeights(inputSize, outputSize) : BilinearWeights(inputSize, outputSize);

    private static AxisWeights BilinearWeights(int inputSize, int outputSize)
    {
        var scale = (double)inputSize / outputSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale; // the triangle's radius is one input pixel, widened when shrinking
        var weights = new AxisWeights(outputSize);
        for (var o = 0; o < outputSize; o++)
        {
            var center = (o + 0.5) * scale;
            var first = Math.Max((int)(center - support + 0.5), 0);
            var end = Math.Min((int)(center + support + 0.5), inputSize);
            var taps = new double[end - first];
            for (var i = first; i < end; i++)
            {
                taps[i - first] = Math.Max(0, 1 - Math.Abs((i - center + 0.5) / filterScale));
            }

            weights.Set(o, first, Normalized(taps));
        }

        return weights;
    }

    private static AxisWeights AreaWeights(int inputSize, int outputSize)
    {
        var scale = (double)inputSize / outputSize;
        var weights = new AxisWeights(outputSize);
        for (var o = 0; o < outputSize; o++)
        {
            var start = o * scale;
            var stop = Math.Min((o + 1) * scale, inputSize);
            var first = (int)Math.Floor(start);
            var end = Math.Min((int)Math.Ceiling(stop), inputSize);
            var taps = new double[end - first];
            for (var i = first; i < end; i++)
            {
                taps[i - first] = Math.Min(i + 1, stop) - Math.Max(i, start);
            }

            weights.Set(o, first, Normalized(taps));
        }

        return weights;
    }

    private static double[] Normalized(double[] taps)
    {
        var sum = taps.Sum();
        if (sum > 0)
        {
            for (var i = 0; i < taps.Length; i++)
            {
                taps[i] /= sum;
            }
        }

        return taps;
    }

    private static float[] Horizontal(float[] input, int rows, int inputWidth, AxisWeights weights)
    {
        var outputWidth = weights.Count;
        var output = new float[rows * outputWidth];
        for (var r = 0; r < rows; r++)
        {
            var row = input.AsSpan(r * inputWidth, inputWidth);
            for (var o = 0; o < outputWidth; o++)
            {
                var taps = weights.Taps(o);
                var first = weights.First(o);
                double sum = 0;
                for (var k = 0; k < taps.Length; k++)
                {
                    sum += row[first + k] * taps[k];
                }

                output[(r * outputWidth) + o] = (float)sum;
            }
        }

        return output;
    }

    private static float[] Vertical(float[] input, int channels, int inputHeight, int width, AxisWeights weights)
    {
        var outputHeight = weights.Count;
        var output = new float[channels * outputHeight * width];
        var accumulator = new double[width];
        for (var c = 0; c < channels; c++)
        {
            var plane = input.AsSpan(c * inputHeight * width, inputHeight * width);
            for (var o = 0; o < outputHeight; o++)
            {
                Array.Clear(accumulator);
                var taps = weights.Taps(o);
                var first = weights.First(o);
                for (var k = 0; k < taps.Length; k++)
                {
                    var row = plane.Slice((first + k) * width, width);
                    for (var x = 0; x < width; x++)
                    {
                        accumulator[x] += row[x] * taps[k];
                    }
                }

                var destination = output.AsSpan(((c * outputHeight) + o) * width, width);
                for (var x = 0; x < width; x++)
                {
                    destination[x] = (float)accumulator[x];
                }
            }
        }

        return output;
    }

    /// <summary>For each output coordinate, the first input coordinate it reads and the weights from there on.</summary>
    internal sealed class AxisWeights(int count)
    {
        private readonly int[] _first = new int[count];
        private readonly double[][] _taps = new double[count][];

        public int Count => _first.Length;

        public int First(int output) => _first[output];

        public ReadOnlySpan<double> Taps(int output) => _taps[output];

        public void Set(int output, int first, double[] taps)
        {
            _first[output] = first;
            _taps[output] = taps;
        }
    }
}
