using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class UNetReconstructorTests
{
    [Fact]
    public void Forward_PyTorchWeightsWithAttention_MatchesPyTorch()
    {
        var unet = new UNetReconstructor(3, 3, [4, 8, 16], attention: true, new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("unet", unet);

        TensorAssert.Close(expected, unet.Forward(input), absolute: 1e-5);
    }

    [Fact]
    public void Parameters_TwoStages_CountAsDerivedByHand()
    {
        // down0 1→4 (4·1·16 + 4 bias) = 68; down1 4→8 without bias (normalised) = 512; up1 8→4 without bias = 512;
        // output 8→1 with bias = 129.
        var unet = new UNetReconstructor(1, 1, [4, 8], random: new RandomSource(0));

        Assert.Equal(68 + 512 + 512 + 129, unet.ParameterCount());
        Assert.Equal(
            ["down0.conv.weight", "down0.conv.bias", "down1.conv.weight", "up1.conv.weight", "output.conv.weight", "output.conv.bias"],
            unet.NamedParameters().Select(p => p.Name));
    }

    [Theory]
    [InlineData(1, 32, 4)]
    [InlineData(3, 32, 4)]
    [InlineData(1, 16, 2)]
    public void Forward_GrayOrRgb_KeepsTheShapeWithinMinusOneToOne(int channels, int size, int stages)
    {
        var widths = Enumerable.Range(0, stages).Select(i => 2 << i).ToArray();
        var unet = new UNetReconstructor(channels, channels, widths, random: new RandomSource(1));
        var input = TensorAssert.Random(2, 2, channels, size, size) * 3f;

        var output = unet.Forward(input);

        Assert.Equal(input.ShapeArray(), output.ShapeArray());
        Assert.All(output.Span.ToArray(), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Forward_Gradient_MatchesFiniteDifferences()
    {
        var unet = new UNetReconstructor(1, 1, [2, 4], attention: true, new RandomSource(2));
        ((SelfAttention2d)unet.NamedModules().First(m => m.Name == "attention").Module).Gamma.AsSpan()[0] = 0.5f;

        // A smaller step than the default keeps the differences from straddling the many ReLU kinks of a whole network.
        GradCheck.First(x => unet.Forward(x[0]), [TensorAssert.Random(3, 1, 1, 8, 8)], epsilon: 1e-3);
    }

    [Fact]
    public void Forward_ImageNotAMultipleOfTheStages_ThrowsNamingTheShape()
    {
        var unet = new UNetReconstructor(1, 1, [2, 2, 2], random: new RandomSource(0));

        var error = Assert.Throws<ArgumentException>(() => unet.Forward(Tensor.Zeros(1, 1, 12, 12)));

        Assert.Contains("multiples of 8 and at least 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 1, 12, 12]", error.Message, StringComparison.Ordinal);
    }
}
