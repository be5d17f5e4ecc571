using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class SelfAttention2dTests
{
    private static SelfAttention2d Attention(int channels, double gamma, bool float64 = false)
    {
        var attention = new SelfAttention2d(channels, new RandomSource(3));
        if (float64)
        {
            attention.to(torch.float64);
        }

        using (torch.no_grad())
        {
            attention.Gamma.fill_(gamma);
        }

        return attention;
    }

    [Fact]
    public void Forward_PyTorchWeights_MatchesPyTorch()
    {
        var attention = new SelfAttention2d(16, new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("attention", attention);

        TensorAssert.Close(expected, attention.forward(input), absolute: 1e-5);
    }

    [Fact]
    public void Forward_GammaZero_IsTheIdentity()
    {
        var input = TestTensors.Random(1, 2, 8, 3, 3);

        var output = new SelfAttention2d(8, new RandomSource(1)).forward(input);

        Assert.Equal(TestTensors.Values(input), TestTensors.Values(output));
    }

    [Fact]
    public void Forward_InputGradient_MatchesFiniteDifferences()
    {
        var attention = Attention(8, 0.8, float64: true);

        GradCheck.Input(attention.forward, TestTensors.Random(2, 2, 8, 2, 3));
    }

    [Fact]
    public void Forward_ParameterGradients_MatchFiniteDifferences()
    {
        var attention = Attention(8, 0.8, float64: true);
        var input = TestTensors.Random(4, 2, 8, 2, 2).to_type(torch.float64);

        GradCheck.Parameters(attention, () => attention.forward(input));
    }

    [Fact]
    public void Forward_EveryPositionSeesEveryOther()
    {
        var attention = Attention(8, 1);
        var input = TestTensors.Random(5, 1, 8, 3, 3);
        var changed = input.clone();
        changed[0, 0, 2, 2] += 1f;

        var before = attention.forward(input);
        var after = attention.forward(changed);

        // A change at the bottom-right corner moves the output at the opposite corner (a convolution would not).
        Assert.NotEqual(before[0, 3, 0, 0].item<float>(), after[0, 3, 0, 0].item<float>());
    }

    [Fact]
    public void Constructor_NarrowMap_KeepsAtLeastOneKeyChannel()
    {
        Assert.Equal(1, new SelfAttention2d(4, new RandomSource(1)).KeyChannels);
        Assert.Equal(4, new SelfAttention2d(32, new RandomSource(1)).KeyChannels);
    }

    [Fact]
    public void Forward_WrongChannels_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Attention(8, 0).forward(torch.zeros(1, 4, 2, 2)));

        Assert.Contains("[1, 4, 2, 2]", error.Message, StringComparison.Ordinal);
    }
}
