using AnomalyDetection.Components;
using AnomalyDetection.Engine;

namespace AnomalyDetection.Autoencoder.Tests;

public class ReconstructionErrorsTests
{
    [Fact]
    public void Elementwise_L2AndL1_AreSquaredAndAbsoluteDifferences()
    {
        var images = TensorData.FromArray([1f, -0.5f, 0f, 2f], 1, 1, 2, 2);
        var reconstructions = TensorData.FromArray([0.5f, 0.5f, 0f, -1f], 1, 1, 2, 2);

        Assert.Equal([0.25f, 1f, 0f, 9f], TensorData.ToArray(ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L2)));
        Assert.Equal([0.5f, 1f, 0f, 3f], TensorData.ToArray(ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L1)));
    }

    [Fact]
    public void Elementwise_OneSidedPolarity_SquaresOrKeepsOnlyThatSide()
    {
        var images = TensorData.FromArray([1f, -0.5f, 0f, 2f], 1, 1, 2, 2);
        var reconstructions = TensorData.FromArray([0.5f, 0.5f, 0f, -1f], 1, 1, 2, 2);

        Assert.Equal([0.25f, 0f, 0f, 9f], TensorData.ToArray(ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L2, ResidualPolarity.Brighter)));
        Assert.Equal([0f, 1f, 0f, 0f], TensorData.ToArray(ReconstructionErrors.Elementwise(images, reconstructions, ReconstructionLoss.L1, ResidualPolarity.Darker)));
    }
}
