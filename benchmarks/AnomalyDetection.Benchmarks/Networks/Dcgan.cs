using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// The DCGAN networks for 64×64 single-channel images with 64 base channels, as plain sequences so that parameter
/// names match <c>dcgan_discriminator</c> and <c>dcgan_generator</c> in torch_networks.py one to one.
/// </summary>
internal static class Dcgan
{
    /// <summary>The length of the generator's latent vector.</summary>
    public const int LatentSize = 100;

    /// <summary>
    /// Four 4×4 stride-2 convolutions (64→32→16→8→4 px; batch norm after all but the first; leaky ReLU 0.2), then a
    /// 4×4 valid convolution to one logit: (N, C, 64, 64) → (N, 1, 1, 1).
    /// </summary>
    public static Sequential Discriminator(int channels = 1, int width = 64) => new(
        new Conv2d(channels, width, 4, stride: 2, padding: 1, hasBias: false),
        new LeakyReLU(0.2f),
        new Conv2d(width, width * 2, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width * 2),
        new LeakyReLU(0.2f),
        new Conv2d(width * 2, width * 4, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width * 4),
        new LeakyReLU(0.2f),
        new Conv2d(width * 4, width * 8, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width * 8),
        new LeakyReLU(0.2f),
        new Conv2d(width * 8, 1, 4, stride: 1, padding: 0, hasBias: false));

    /// <summary>
    /// A 4×4 transposed convolution from the latent vector to 4×4, then four 4×4 stride-2 transposed convolutions to
    /// 64×64 (batch norm and ReLU between, tanh at the end): (N, 100, 1, 1) → (N, C, 64, 64).
    /// </summary>
    public static Sequential Generator(int channels = 1, int width = 64) => new(
        new ConvTranspose2d(LatentSize, width * 8, 4, stride: 1, padding: 0, hasBias: false),
        new BatchNorm2d(width * 8),
        new ReLU(),
        new ConvTranspose2d(width * 8, width * 4, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width * 4),
        new ReLU(),
        new ConvTranspose2d(width * 4, width * 2, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width * 2),
        new ReLU(),
        new ConvTranspose2d(width * 2, width, 4, stride: 2, padding: 1, hasBias: false),
        new BatchNorm2d(width),
        new ReLU(),
        new ConvTranspose2d(width, channels, 4, stride: 2, padding: 1, hasBias: false),
        new Tanh());
}
