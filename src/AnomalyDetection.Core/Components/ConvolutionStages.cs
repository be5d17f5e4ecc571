using AnomalyDetection.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Components;

/// <summary>
/// The 4×4 convolution stages of pix2pix-style networks, shared by the autoencoder's encoder and decoder and by
/// Patch-GAN's U-Net and patch discriminators. Each is a Sequential of <c>conv</c>, <c>norm</c> (unless
/// <see cref="StageNormalization.None"/>) and <c>act</c>, so its state-dictionary names are the same wherever it is used.
/// A normalised convolution has no bias, which the normalisation would cancel. Layers are built on
/// <see cref="LayerDevice.Current"/>; initialise the network afterwards.
/// </summary>
public static class ConvolutionStages
{
    /// <summary>The pix2pix rule for an encoder's or discriminator's stages: the first is not normalised (it keeps its
    /// bias and sees the image's own contrast), every deeper one is.</summary>
    /// <param name="index">The stage's index, from 0.</param>
    /// <param name="deeper">The normalisation of every stage after the first.</param>
    /// <returns><see cref="StageNormalization.None"/> for stage 0, else <paramref name="deeper"/>.</returns>
    public static StageNormalization EncoderNormalization(int index, StageNormalization deeper) =>
        index == 0 ? StageNormalization.None : deeper;

    /// <summary>An encoder or discriminator stage: Conv 4×4 (padding 1) → normalisation → LeakyReLU(0.2). At stride 2 it
    /// halves an even side; at stride 1 it shortens it by one.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="normalization">The normalisation; <see cref="StageNormalization.None"/> keeps the convolution's bias.</param>
    /// <param name="stride">The convolution's stride. Defaults to 2.</param>
    /// <returns>The stage.</returns>
    public static Sequential Down(long inChannels, long outChannels, StageNormalization normalization, long stride = 2)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv", Conv2d(inChannels, outChannels, 4, stride: stride, padding: 1, bias: normalization == StageNormalization.None, device: LayerDevice.Current)),
        };
        AddNormalization(layers, outChannels, normalization);
        layers.Add(("act", new LeakyRelu(0.2)));
        return Sequential(layers);
    }

    /// <summary>A decoder stage: transposed Conv 4×4 stride 2 (padding 1) → normalisation → ReLU, doubling the side.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="normalization">The normalisation; <see cref="StageNormalization.None"/> keeps the convolution's bias.</param>
    /// <returns>The stage.</returns>
    public static Sequential Up(long inChannels, long outChannels, StageNormalization normalization)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv", ConvTranspose2d(inChannels, outChannels, 4, stride: 2, padding: 1, bias: normalization == StageNormalization.None, device: LayerDevice.Current)),
        };
        AddNormalization(layers, outChannels, normalization);
        layers.Add(("act", ReLU()));
        return Sequential(layers);
    }

    /// <summary>A decoder's last stage: transposed Conv 4×4 stride 2 (padding 1, with bias) → tanh, an image in [−1, 1]
    /// at twice the side.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="imageChannels">The image's channels.</param>
    /// <returns>The stage.</returns>
    public static Sequential Output(long inChannels, long imageChannels) => Sequential(
        ("conv", ConvTranspose2d(inChannels, imageChannels, 4, stride: 2, padding: 1, device: LayerDevice.Current)),
        ("act", Tanh()));

    private static void AddNormalization(List<(string, Module<Tensor, Tensor>)> layers, long channels, StageNormalization normalization)
    {
        switch (normalization)
        {
            case StageNormalization.None:
                break;
            case StageNormalization.Batch:
                layers.Add(("norm", new HeldBatchNorm2d(channels, LayerDevice.Current)));
                break;
            case StageNormalization.Instance:
                layers.Add(("norm", InstanceNorm2d(channels, device: LayerDevice.Current)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "StageNormalization must be None, Batch or Instance.");
        }
    }
}
