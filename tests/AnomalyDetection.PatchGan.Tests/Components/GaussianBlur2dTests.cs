using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class GaussianBlur2dTests
{
    [Fact]
    public void Forward_ConstantMap_StaysConstantUpToTheBorder()
    {
        var output = new GaussianBlur2d(2).Forward(Tensor.Full(3f, 2, 1, 9, 11));

        TensorAssert.Close(Tensor.Full(3f, 2, 1, 9, 11), output, absolute: 1e-5);
    }

    [Fact]
    public void Forward_CentredImpulse_SpreadsAsTheNormalisedGaussian()
    {
        var impulse = Tensor.Zeros(1, 1, 15, 15);
        impulse[0, 0, 7, 7] = 1f;

        var output = new GaussianBlur2d(1).Forward(impulse);

        // Radius 3: weights e^(−r²/2) over the 7×7 window, normalised; every window that reaches the impulse lies inside
        // the image, so no border renormalisation applies.
        var total = 0.0;
        for (var y = -3; y <= 3; y++)
        {
            for (var x = -3; x <= 3; x++)
            {
                total += Math.Exp(-((x * x) + (y * y)) / 2.0);
            }
        }

        Assert.Equal(1 / total, output[0, 0, 7, 7], 6);
        Assert.Equal(Math.Exp(-0.5) / total, output[0, 0, 7, 8], 6);
        Assert.Equal(Math.Exp(-2.5) / total, output[0, 0, 8, 9], 6);
        Assert.Equal(0f, output[0, 0, 0, 0]);
        Assert.Equal(1.0, output.Sum().ToScalar(), 5);
    }

    [Fact]
    public void Forward_SigmaZero_ReturnsTheInput()
    {
        var input = TensorAssert.Random(1, 1, 2, 4, 4);

        Assert.Same(input, new GaussianBlur2d(0).Forward(input));
    }

    [Fact]
    public void Forward_ChannelsAndImages_AreBlurredSeparately()
    {
        var input = Tensor.Zeros(2, 2, 5, 5);
        input[1, 0, 2, 2] = 1f;

        var output = new GaussianBlur2d(1).Forward(input);

        Assert.Equal(0f, output.Slice(0, 0, 1).Sum().ToScalar());
        Assert.Equal(0f, output.Slice(0, 1, 1).Slice(1, 1, 1).Sum().ToScalar());
        Assert.True(output[1, 0, 2, 2] > output[1, 0, 2, 3]);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadSigma_Throws(double sigma)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianBlur2d(sigma));
    }
}
