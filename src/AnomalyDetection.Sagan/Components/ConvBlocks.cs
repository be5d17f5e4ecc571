using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// The convolution → affine instance norm → ReLU stacks that GAN generators repeat (StarGAN lineage). The
/// convolutions have no bias: the instance norm that follows removes any per-channel constant.
/// </summary>
public static class ConvBlocks
{
    /// <summary>Conv(k, stride, padding, no bias) → InstanceNorm2d(affine) → ReLU, as a <see cref="TorchSharp.Modules.Sequential"/> numbered 0–2.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">The side of the square kernel.</param>
    /// <param name="stride">The convolution stride.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <param name="random">Initialises the convolution as PyTorch does by default.</param>
    public static Sequential ConvNormRelu(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomSource random)
    {
        var block = Sequential(
            Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: false, device: LayerDevice.Current),
            InstanceNorm2d(outChannels, affine: true, device: LayerDevice.Current),
            ReLU());
        WeightInit.ResetParameters(block, random);
        return block;
    }

    /// <summary>ConvTranspose(4×4, stride 2, padding 1, no bias) → InstanceNorm2d(affine) → ReLU: doubles the height and width.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="random">Initialises the convolution as PyTorch does by default.</param>
    public static Sequential UpsampleNormRelu(int inChannels, int outChannels, RandomSource random)
    {
        var block = Sequential(
            ConvTranspose2d(inChannels, outChannels, 4, stride: 2, padding: 1, bias: false, device: LayerDevice.Current),
            InstanceNorm2d(outChannels, affine: true, device: LayerDevice.Current),
            ReLU());
        WeightInit.ResetParameters(block, random);
        return block;
    }
}
