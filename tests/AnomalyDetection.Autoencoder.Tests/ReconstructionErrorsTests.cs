using AnomalyDetection.Tensors;

namespace AnomalyDetection.Autoencoder.Tests;

public class ReconstructionErrorsTests
{
    [Fact]
    public void Elementwise_L2AndL1_AreSquaredAndAbsoluteDifferences()
    {
        var images = Tensor.FromArray([1f, -0.5f, 0f, 2f], 1, 1, 2, 2);
        var reconstructions = Tensor.FromArray([0.5f, 0.5f, 0f, -1f], 1, 1, 2, 2);

        Assert.Equal([0.25f, 1f, 0f, 9f], ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L2).ToArray());
        Assert.Equal([0.5f, 1f, 0f, 3f], ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L1).ToArray());
    }

    [Theory]
    [InlineData(0.25, 7f, 6.5f)] // the top 2 of 8: (9 + 5) / 2 and (7 + 6) / 2
    [InlineData(1.0, 2.625f, 3.5f)] // every pixel: 21 / 8 and 28 / 8
    [InlineData(0.01, 9f, 7f)] // rounds to no pixel, so the single highest
    public void TopMean_Fraction_AveragesTheHighestPixelsOfEachImage(double fraction, float first, float second)
    {
        var maps = Tensor.FromArray([1f, 9f, 0f, 5f, 2f, 3f, 1f, 0f, /* second image */ 7f, 6f, 4f, 1f, 3f, 2f, 5f, 0f], 2, 1, 2, 4);

        var means = ReconstructionErrors.TopMean(maps, fraction);

        Assert.Equal(first, means[0], 5);
        Assert.Equal(second, means[1], 5);
    }
}
