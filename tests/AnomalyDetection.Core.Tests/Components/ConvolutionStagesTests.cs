using AnomalyDetection.Components;
using TorchSharp;
using static TorchSharp.torch.nn.functional;

namespace AnomalyDetection.Core.Tests.Components;

public class ConvolutionStagesTests
{
    [Theory]
    [InlineData(StageNormalization.None, new[] { "conv.weight", "conv.bias" })]
    [InlineData(StageNormalization.Batch, new[] { "conv.weight", "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked" })]
    [InlineData(StageNormalization.Instance, new[] { "conv.weight" })]
    public void Down_Normalization_NamesTheStateAsTheNetworksStoreIt(StageNormalization normalization, string[] expected)
    {
        using var stage = ConvolutionStages.Down(3, 5, normalization);

        Assert.Equal(expected, stage.state_dict().Keys);
    }

    [Theory]
    [InlineData(0, StageNormalization.Batch, StageNormalization.None)]
    [InlineData(1, StageNormalization.Batch, StageNormalization.Batch)]
    [InlineData(3, StageNormalization.Instance, StageNormalization.Instance)]
    public void EncoderNormalization_LeavesOnlyTheFirstStageUnnormalised(int index, StageNormalization deeper, StageNormalization expected)
    {
        Assert.Equal(expected, ConvolutionStages.EncoderNormalization(index, deeper));
    }

    [Fact]
    public void Down_WithoutNormalization_IsLeakyReluOfTheBiasedStride2Convolution()
    {
        using var stage = ConvolutionStages.Down(2, 4, StageNormalization.None);
        var input = torch.randn(1, 2, 8, 8, generator: new torch.Generator(3));
        var weights = stage.state_dict();

        var output = stage.forward(input);

        var expected = leaky_relu(conv2d(input, weights["conv.weight"], weights["conv.bias"], strides: [2, 2], padding: [1, 1]), 0.2);
        Assert.Equal([1L, 4, 4, 4], output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Down_InstanceNormalizedAtStride1_NormalisesEachImageAndShortensTheSideByOne()
    {
        using var stage = ConvolutionStages.Down(2, 4, StageNormalization.Instance, stride: 1);
        var input = torch.randn(2, 2, 8, 8, generator: new torch.Generator(4));

        var output = stage.forward(input);

        var convolved = conv2d(input, stage.state_dict()["conv.weight"], padding: [1, 1]);
        var expected = leaky_relu(instance_norm(convolved), 0.2);
        Assert.Equal([2L, 4, 7, 7], output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Up_BatchNormalized_DoublesTheSideWithABiasFreeTransposedConvolution()
    {
        using var stage = ConvolutionStages.Up(4, 2, StageNormalization.Batch);
        stage.eval();
        var input = torch.randn(1, 4, 3, 3, generator: new torch.Generator(5));
        var weights = stage.state_dict();

        var output = stage.forward(input);

        // In evaluation mode, freshly built batch normalisation (mean 0, variance 1, scale 1, shift 0) divides by √(1 + ε).
        var expected = relu(conv_transpose2d(input, weights["conv.weight"], strides: [2, 2], padding: [1, 1]) / Math.Sqrt(1 + 1e-5));
        Assert.DoesNotContain("conv.bias", weights.Keys);
        Assert.Equal([1L, 2, 6, 6], output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Output_IsTanhOfTheBiasedTransposedConvolution()
    {
        using var stage = ConvolutionStages.Output(4, 3);
        var input = torch.randn(1, 4, 2, 2, generator: new torch.Generator(6));
        var weights = stage.state_dict();

        var output = stage.forward(input);

        var expected = torch.tanh(conv_transpose2d(input, weights["conv.weight"], weights["conv.bias"], strides: [2, 2], padding: [1, 1]));
        Assert.Equal(["conv.weight", "conv.bias"], weights.Keys);
        Assert.Equal([1L, 3, 4, 4], output.shape);
        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Down_UndefinedNormalization_NamesTheAllowedValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionStages.Down(1, 1, (StageNormalization)9));

        Assert.Contains("None, Batch or Instance", error.Message, StringComparison.Ordinal);
    }
}
