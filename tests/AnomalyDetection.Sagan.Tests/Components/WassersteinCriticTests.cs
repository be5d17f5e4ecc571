using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Components;
using AnomalyDetection.TestSupport;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Sagan.Tests.Components;

public class WassersteinCriticTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.2)]
    [InlineData(0.0)]
    public void Forward_IsTheStridedLadderWithTheGivenSlope_ThenTheHead(double slope)
    {
        using var noGrad = torch.no_grad();
        using var critic = new WassersteinCritic(1, 3, 2, new RandomSource(9), slope);
        var weights = StateDicts.Export(critic);
        var images = RandomTensors.Uniform(4, -1f, 1f, 2, 1, 8, 8);

        var x = images;
        foreach (var layer in new[] { 0, 2 })
        {
            x = functional.conv2d(x, weights[$"main.{layer}.weight"], weights[$"main.{layer}.bias"], strides: [2, 2], padding: [1, 1]);
            x = functional.leaky_relu(x, slope);
        }

        var expected = functional.conv2d(x, weights["head.weight"], padding: [1, 1]);

        TensorAssert.Close(expected, critic.forward(images), 1e-6, 1e-5, "critic output");
    }

    [Fact]
    public void Forward_SameWeightsOtherSlope_ScoresDifferently()
    {
        // The option must reach the layers, not only the constructor's argument check.
        using var noGrad = torch.no_grad();
        using var authors = new WassersteinCritic(1, 3, 2, new RandomSource(9));
        using var steeper = new WassersteinCritic(1, 3, 2, new RandomSource(9), 0.2);
        var images = RandomTensors.Uniform(4, -1f, 1f, 2, 1, 8, 8);

        Assert.NotEqual(TensorData.ToArray(authors.forward(images)), TensorData.ToArray(steeper.forward(images)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_SlopeOutsideZeroToOne_IsRefused(double slope)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WassersteinCritic(1, 3, 2, new RandomSource(9), slope));

        Assert.Equal("negativeSlope", error.ParamName);
    }
}
