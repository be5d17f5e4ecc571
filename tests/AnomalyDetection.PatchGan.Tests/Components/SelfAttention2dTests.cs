using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class SelfAttention2dTests
{
    private static SelfAttention2d Attention(int channels, float gamma)
    {
        var attention = new SelfAttention2d(channels, random: new RandomSource(3));
        attention.Gamma.AsSpan()[0] = gamma;
        return attention;
    }

    [Fact]
    public void Forward_PyTorchWeights_MatchesPyTorch()
    {
        var attention = new SelfAttention2d(16, random: new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("attention", attention);

        TensorAssert.Close(expected, attention.Forward(input), absolute: 1e-5);
    }

    [Fact]
    public void Forward_GammaZero_IsTheIdentity()
    {
        var input = TensorAssert.Random(1, 2, 8, 3, 3);

        var output = new SelfAttention2d(8, random: new RandomSource(1)).Forward(input);

        Assert.Equal(input.Span.ToArray(), output.Span.ToArray());
    }

    [Fact]
    public void Forward_InputGradient_MatchesFiniteDifferences()
    {
        var attention = Attention(8, 0.8f);

        GradCheck.First(x => attention.Forward(x[0]), [TensorAssert.Random(2, 2, 8, 2, 3)]);
    }

    [Fact]
    public void Forward_ParameterGradients_MatchFiniteDifferences()
    {
        var attention = Attention(8, 0.8f);
        var input = TensorAssert.Random(4, 2, 8, 2, 2);

        ParameterGradCheck.Check(attention, () => attention.Forward(input));
    }

    [Fact]
    public void Forward_EveryPositionSeesEveryOther()
    {
        var attention = Attention(8, 1f);
        var input = TensorAssert.Random(5, 1, 8, 3, 3);
        var changed = input.Clone();
        changed[0, 0, 2, 2] += 1f;

        var before = attention.Forward(input);
        var after = attention.Forward(changed);

        // A change at the bottom-right corner moves the output at the opposite corner (a convolution would not).
        Assert.NotEqual(before[0, 3, 0, 0], after[0, 3, 0, 0]);
    }

    [Fact]
    public void Constructor_NarrowMap_KeepsAtLeastOneKeyChannel()
    {
        Assert.Equal(1, new SelfAttention2d(4, random: new RandomSource(1)).KeyChannels);
        Assert.Equal(4, new SelfAttention2d(32, random: new RandomSource(1)).KeyChannels);
    }

    [Fact]
    public void Forward_WrongChannels_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Attention(8, 0f).Forward(Tensor.Zeros(1, 4, 2, 2)));

        Assert.Contains("[1, 4, 2, 2]", error.Message, StringComparison.Ordinal);
    }
}
