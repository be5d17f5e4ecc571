using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class DropoutTests
{
    [Fact]
    public void Evaluation_AndZeroProbability_ReturnTheInput()
    {
        var x = TensorAssert.Random(71, 3, 4);
        Assert.Same(x, Functional.Dropout(x, 0.5f, training: false, new RandomSource(1)));
        Assert.Same(x, Functional.Dropout(x, 0f, training: true, new RandomSource(1)));
    }

    [Fact]
    public void Training_KeepsExpectation_AndDropsAboutP()
    {
        const int N = 200_000;
        const float P = 0.3f;
        var y = Functional.Dropout(Tensor.Ones(N), P, training: true, new RandomSource(7));
        var kept = 0;
        foreach (var v in y.Span)
        {
            // Every element is either dropped or scaled by exactly 1 / (1 − p).
            Assert.True(v == 0f || v == 1f / (1f - P), $"Unexpected dropout value {v}.");
            kept += v == 0f ? 0 : 1;
        }

        // Standard errors: 0.001 for the kept fraction and 0.0015 for the mean; the bounds are about 7 of them.
        Assert.InRange((double)kept / N, 1 - P - 0.007, 1 - P + 0.007);
        Assert.InRange(y.Mean().ToScalar(), 0.99f, 1.01f);
    }

    [Fact]
    public void SameSeed_SameMask_OtherSeed_OtherMask()
    {
        var x = TensorAssert.Random(72, 4, 64);
        var a = Functional.Dropout(x, 0.5f, training: true, new RandomSource(3));
        var b = Functional.Dropout(x, 0.5f, training: true, new RandomSource(3));
        var c = Functional.Dropout(x, 0.5f, training: true, new RandomSource(4));
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
    }

    [Fact]
    public void Gradient_IsTheMaskTimesTheUpstreamGradient()
    {
        var x = (TensorAssert.Random(73, 5, 7) + 2f).WithRequiresGrad();
        var y = Functional.Dropout(x, 0.4f, training: true, new RandomSource(5));
        y.Sum().Backward();
        for (var i = 0; i < x.Count; i++)
        {
            // With all inputs non-zero, y / x recovers the mask, which is the gradient of sum(y).
            Assert.Equal(y.Span[i] / x.Span[i], x.Grad!.Span[i], 1e-6f);
        }
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void InvalidProbability_Throws(float p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Dropout(Tensor.Ones(2), p, training: true, new RandomSource(1)));
        Assert.Contains("[0, 1)", ex.Message);
    }
}
