using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Components;

public class RestorationResidualTests
{
    // Image minus restoration: 0.5, −0.25, 0, −1.
    private static readonly float[] Images = [0.75f, -0.5f, 0.2f, -1f];
    private static readonly float[] Restored = [0.25f, -0.25f, 0.2f, 0f];

    [Theory]
    [InlineData(ResidualPolarity.Absolute, new[] { 0.5f, 0.25f, 0f, 1f })]
    [InlineData(ResidualPolarity.Brighter, new[] { 0.5f, 0f, 0f, 0f })]
    [InlineData(ResidualPolarity.Darker, new[] { 0f, 0.25f, 0f, 1f })]
    public void Of_Polarity_KeepsTheNamedSideOfTheDifference(ResidualPolarity polarity, float[] expected)
    {
        var residual = RestorationResidual.Of(TensorData.FromArray(Images, 1, 1, 2, 2), TensorData.FromArray(Restored, 1, 1, 2, 2), polarity);

        Assert.Equal([1L, 1, 2, 2], residual.shape);
        Assert.Equal(expected, TensorData.ToArray(residual));
    }

    [Fact]
    public void Of_ShapesDiffer_NamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => RestorationResidual.Of(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 3), ResidualPolarity.Absolute));

        Assert.Contains("[1, 1, 2, 2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 1, 2, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_UndefinedPolarity_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RestorationResidual.Of(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 2), (ResidualPolarity)7));

        Assert.Contains("Absolute, Brighter or Darker", error.Message, StringComparison.Ordinal);
    }
}
