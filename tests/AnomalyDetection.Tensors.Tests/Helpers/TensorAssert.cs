using AnomalyDetection.Tensors;

namespace AnomalyDetection.Tensors.Tests.Helpers;

/// <summary>Element-wise comparisons with messages that name the first differing element.</summary>
public static class TensorAssert
{
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute = 1e-5, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)expected[i] - actual[i]);
            if (!(error <= absolute + (relative * Math.Abs(expected[i]))))
            {
                throw new Xunit.Sdk.XunitException($"Element {i}: expected {expected[i]:G9}, got {actual[i]:G9} (error {error:G3}).");
            }
        }
    }

    public static void Close(Tensor expected, Tensor actual, double absolute = 1e-5, double relative = 1e-4)
    {
        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        Close(expected.Span, actual.Span, absolute, relative);
    }

    public static Tensor Random(int seed, params int[] shape) => Tensor.Uniform(new RandomSource(seed), -1f, 1f, shape);
}
