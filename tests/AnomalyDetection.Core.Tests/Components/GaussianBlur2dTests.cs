using AnomalyDetection.Components;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Components;

public class GaussianBlur2dTests
{
    [Fact]
    public void Forward_ConstantMap_StaysConstantUpToTheBorder()
    {
        var output = new GaussianBlur2d(2).forward(torch.full(2, 1, 9, 11, 3f));

        TensorAssert.Close(torch.full(2, 1, 9, 11, 3f), output, absolute: 1e-5);
    }

    [Fact]
    public void Forward_CentredImpulse_SpreadsAsTheNormalisedGaussian()
    {
        var impulse = torch.zeros(1, 1, 15, 15);
        impulse[0, 0, 7, 7] = torch.tensor(1f);

        var output = new GaussianBlur2d(1).forward(impulse);

        // Radius 3: weights e^(−r²/2) over the 7×7 window, normalised; every window that reaches the impulse lies inside
        // the image, so no border renormalisation applies. The window's total is (1 + 2e^−½ + 2e^−2 + 2e^−4.5)² =
        // 2.5059499² = 6.2797850, so the centre weighs 1/6.2797850 = 0.1592411, its neighbour e^−½ times that and the
        // pixel at (1, 2) e^−2.5 times that.
        Assert.Equal(0.1592411, output[0, 0, 7, 7].item<float>(), 6);
        Assert.Equal(0.0965846, output[0, 0, 7, 8].item<float>(), 6);
        Assert.Equal(0.0130713, output[0, 0, 8, 9].item<float>(), 6);
        Assert.Equal(0f, output[0, 0, 0, 0].item<float>());
        Assert.Equal(1.0, output.sum().item<float>(), 5);
    }

    [Fact]
    public void Forward_SigmaZero_ReturnsTheInput()
    {
        var input = RandomTensors.Uniform(1, -1f, 1f, 2, 1, 4, 4);

        Assert.Same(input, new GaussianBlur2d(0).forward(input));
    }

    [Fact]
    public void Forward_ChannelsAndImages_AreBlurredSeparately()
    {
        var input = torch.zeros(2, 2, 5, 5);
        input[1, 0, 2, 2] = torch.tensor(1f);

        var output = new GaussianBlur2d(1).forward(input);

        Assert.Equal(0f, output[0].sum().item<float>());
        Assert.Equal(0f, output[1, 1].sum().item<float>());
        Assert.True(output[1, 0, 2, 2].item<float>() > output[1, 0, 2, 3].item<float>());
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
