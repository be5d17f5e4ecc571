using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// The convolution → affine instance norm → ReLU stacks that GAN generators repeat (StarGAN lineage). The
/// convolutions have no bias: the instance norm that follows removes any per-channel constant.
/// </summary>
public static class ConvBlocks
{
    /// <summary>Conv(k, stride, padding, no bias) → InstanceNorm2d(affine) → ReLU, as a <see cref="Sequential"/> numbered 0–2.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">The side of the square kernel.</param>
    /// <param name="stride">The convolution stride.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <param name="random">Initialises the convolution; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public static Sequential ConvNormRelu(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomSource? random = null) =>
        new(
            new Conv2d(inChannels, outChannels, kernelSize, stride, padding, hasBias: false, random: random),
            new InstanceNorm2d(outChannels, affine: true),
            new ReLU());

    /// <summary>ConvTranspose(4×4, stride 2, padding 1, no bias) → InstanceNorm2d(affine) → ReLU: doubles the height and width.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="random">Initialises the convolution; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public static Sequential UpsampleNormRelu(int inChannels, int outChannels, RandomSource? random = null) =>
        new(
            new ConvTranspose2d(inChannels, outChannels, 4, stride: 2, padding: 1, hasBias: false, random: random),
            new InstanceNorm2d(outChannels, affine: true),
            new ReLU());
}
