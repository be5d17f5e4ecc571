using AnomalyDetection.Engine;
using Xunit;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.TestSupport;

/// <summary>Element-wise comparisons of tensors with an absolute plus relative tolerance.</summary>
public static class TensorAssert
{
    /// <summary>Fails unless every |expected − actual| ≤ absolute + relative·|expected|; names the first bad element.</summary>
    /// <param name="expected">The reference values.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="absolute">The absolute tolerance.</param>
    /// <param name="relative">The tolerance relative to the expected value.</param>
    /// <param name="what">Names the compared quantity in the message.</param>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute = 1e-5, double relative = 1e-4, string what = "value")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} elements, got {actual.Length}.");
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)expected[i] - actual[i]);
            if (!(error <= absolute + (relative * Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (error {error:G3}).");
            }
        }
    }

    /// <summary>Fails unless the shapes are equal and every element is close (see the span overload).</summary>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="actual">The tensor under test, on any device.</param>
    /// <param name="absolute">The absolute tolerance.</param>
    /// <param name="relative">The tolerance relative to the expected value.</param>
    /// <param name="what">Names the compared quantity in the message.</param>
    public static void Close(Tensor expected, Tensor actual, double absolute = 1e-5, double relative = 1e-4, string what = "value")
    {
        Assert.Equal(expected.shape, actual.shape);
        Close(TensorData.ToArray(expected), TensorData.ToArray(actual), absolute, relative, what);
    }

    /// <summary>Fails unless both tensors hold the same values bit for bit.</summary>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="actual">The tensor under test.</param>
    public static void BitEqual(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var a = TensorData.ToArray(expected);
        var b = TensorData.ToArray(actual);
        for (var i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                Assert.Fail($"Element {i}: expected {a[i]:G9}, got {b[i]:G9}.");
            }
        }
    }
}
