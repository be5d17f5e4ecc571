using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// The StarGAN residual block: x + IN(Conv3×3(ReLU(IN(Conv3×3(x))))), with affine instance norms and bias-free
/// convolutions. Channels and size are kept. Parameters: <c>main.0.weight</c>, <c>main.1.weight</c>,
/// <c>main.1.bias</c>, <c>main.3.weight</c>, <c>main.4.weight</c>, <c>main.4.bias</c>.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Sequential _main;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Input and output channels.</param>
    /// <param name="random">Initialises the convolutions; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public ResidualBlock(int channels, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        _main = RegisterModule("main", new Sequential(
            new Conv2d(channels, channels, 3, padding: 1, hasBias: false, random: random),
            new InstanceNorm2d(channels, affine: true),
            new ReLU(),
            new Conv2d(channels, channels, 3, padding: 1, hasBias: false, random: random),
            new InstanceNorm2d(channels, affine: true)));
    }

    /// <summary>Input and output channels.</summary>
    public int Channels { get; }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Input of shape (N, channels, H, W).</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input) => input + _main.Forward(input);
}
