using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Autoencoder.Tests;

public class ConvAutoencoderTests
{
    [Theory]
    [InlineData(1, 28, 4, 2)]
    [InlineData(3, 28, 2, 7)]
    [InlineData(1, 32, 4, 2)]
    [InlineData(3, 32, 3, 4)]
    [InlineData(1, 64, 4, 4)]
    [InlineData(3, 128, 5, 4)]
    public void Forward_GrayOrRgbOfEachSize_KeepsTheShapeAndCodesAtTheBottleneck(int channels, int size, int depth, int bottleneck)
    {
        var network = Network(channels, depth, latent: 3);
        var images = RandomTensors.Uniform(1, -1f, 1f, 2, channels, size, size);

        var reconstruction = network.forward(images);
        var codes = network.Encode(images);

        Assert.Equal([2, channels, size, size], TensorData.Shape(reconstruction));
        Assert.Equal([2, 3, bottleneck, bottleneck], TensorData.Shape(codes));
    }

    [Fact]
    public void StateDict_NamesEncoderAndDecoderStagesWithBatchNormBuffers()
    {
        var names = Network(1, depth: 2, latent: 3).state_dict().Keys.ToHashSet();

        string[] expected =
        [
            "encoder.down0.conv.weight", "encoder.down0.conv.bias",
            "encoder.down1.conv.weight", "encoder.down1.norm.weight", "encoder.down1.norm.running_mean",
            "encoder.latent.weight", "encoder.latent.bias",
            "decoder.up1.conv.weight", "decoder.up1.norm.running_var",
            "decoder.output.conv.weight", "decoder.output.conv.bias",
        ];
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.DoesNotContain("encoder.down0.norm.weight", names);
        Assert.DoesNotContain("decoder.up1.conv.bias", names);
    }

    [Fact]
    public void Forward_PaddedSize_ReconstructsEachPixelFromItsCentredPlace()
    {
        // 28 pixels pad to 32 with 2 rows and columns on each side; the crop must return the inner 28 × 28 of the
        // 32-pixel output, which a zero-padded 32-pixel input reproduces.
        var network = Network(1, depth: 4, latent: 2);
        var images = RandomTensors.Uniform(2, -1f, 1f, 1, 1, 28, 28);

        var direct = network.forward(images);
        var padded = network.forward(torch.nn.functional.pad(images, [2, 2, 2, 2]));

        Assert.Equal(TensorData.ToArray(direct), TensorData.ToArray(padded.narrow(2, 2, 28).narrow(3, 2, 28)));
    }

    [Fact]
    public void Forward_WrongChannels_ThrowsNamingTheShape()
    {
        var network = Network(3, depth: 2, latent: 2);

        var error = Assert.Throws<ArgumentException>(() => network.forward(torch.zeros(1, 1, 16, 16)));

        Assert.Contains("ConvAutoencoder expects input of shape (N, 3, H, W) but got shape [1, 1, 16, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameSeed_InitialisesIdentically()
    {
        var first = StateDicts.Export(Network(1, depth: 3, latent: 2));
        var second = StateDicts.Export(Network(1, depth: 3, latent: 2));

        Assert.All(first, p => Assert.Equal(TensorData.ToArray(p.Value), TensorData.ToArray(second[p.Key])));
    }

    private static ConvAutoencoder Network(int channels, int depth, int latent)
    {
        var widths = new AutoencoderOptions { BaseWidth = 4, Depth = depth }.Widths;
        var network = new ConvAutoencoder(channels, widths, latent, new RandomSource(3));
        network.eval();
        return network;
    }

}
