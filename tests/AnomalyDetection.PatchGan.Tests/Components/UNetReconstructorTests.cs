using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class UNetReconstructorTests
{
    [Fact]
    public void Forward_PyTorchWeightsWithAttention_MatchesPyTorch()
    {
        var unet = new UNetReconstructor(3, 3, [4, 8, 16], new RandomSource(0), attention: true);
        var (input, expected) = ComponentFixture.Load("unet", unet);

        TensorAssert.Close(expected, unet.forward(input), absolute: 1e-5);
    }

    [Fact]
    public void Parameters_TwoStages_CountAsDerivedByHand()
    {
        // down0 1→4 (4·1·16 + 4 bias) = 68; down1 4→8 without bias (normalised) = 512; up1 8→4 without bias = 512;
        // output 8→1 with bias = 129. The instance norms have no parameters and no running statistics.
        var unet = new UNetReconstructor(1, 1, [4, 8], new RandomSource(0));

        Assert.Equal(68 + 512 + 512 + 129, unet.parameters().Sum(p => p.numel()));
        Assert.Equal(
            ["down0.conv.weight", "down0.conv.bias", "down1.conv.weight", "up1.conv.weight", "output.conv.weight", "output.conv.bias"],
            unet.state_dict().Keys);
    }

    [Fact]
    public void StateDict_WithAttention_NamesItBetweenEncoderAndDecoderWithItsOwnGateFirst()
    {
        var unet = new UNetReconstructor(1, 1, [4, 8], new RandomSource(0), attention: true);

        Assert.Equal(
            [
                "down0.conv.weight", "down0.conv.bias", "down1.conv.weight",
                "attention.gamma", "attention.query.weight", "attention.query.bias", "attention.key.weight", "attention.key.bias",
                "attention.value.weight", "attention.value.bias",
                "up1.conv.weight", "output.conv.weight", "output.conv.bias",
            ],
            unet.state_dict().Keys);
    }

    [Theory]
    [InlineData(1, 32, 4)]
    [InlineData(3, 32, 4)]
    [InlineData(1, 16, 2)]
    public void Forward_GrayOrRgb_KeepsTheShapeAndAnswersEachImage(int channels, int size, int stages)
    {
        var widths = Enumerable.Range(0, stages).Select(i => 2 << i).ToArray();
        var unet = new UNetReconstructor(channels, channels, widths, new RandomSource(1));
        var input = TestTensors.Random(2, 2, channels, size, size) * 3f;

        var output = unet.forward(input);

        Assert.Equal(input.shape, output.shape);
        Assert.NotEqual(TestTensors.Values(output[0]), TestTensors.Values(output[1]));
        Assert.Equal(TestTensors.Values(output[1]), TestTensors.Values(unet.forward(input[1..])));
    }

    [Fact]
    public void Forward_Gradient_MatchesFiniteDifferences()
    {
        var unet = new UNetReconstructor(1, 1, [2, 4], new RandomSource(2), attention: true);
        unet.to(torch.float64);
        using (torch.no_grad())
        {
            unet.Attention!.Gamma.fill_(0.5);
        }

        GradCheck.Input(unet.forward, TestTensors.Random(3, 1, 1, 8, 8));
    }

    [Fact]
    public void Forward_ImageNotAMultipleOfTheStages_ThrowsNamingTheShape()
    {
        var unet = new UNetReconstructor(1, 1, [2, 2, 2], new RandomSource(0));

        var error = Assert.Throws<ArgumentException>(() => unet.forward(torch.zeros(1, 1, 12, 12)));

        Assert.Contains("multiples of 8 and at least 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 1, 12, 12]", error.Message, StringComparison.Ordinal);
    }
}
