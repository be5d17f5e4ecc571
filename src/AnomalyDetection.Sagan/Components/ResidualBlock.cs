using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// The StarGAN residual block: x + IN(Conv3×3(ReLU(IN(Conv3×3(x))))), with affine instance norms and bias-free
/// convolutions. Channels and size are kept. Parameters: <c>main.0.weight</c>, <c>main.1.weight</c>,
/// <c>main.1.bias</c>, <c>main.3.weight</c>, <c>main.4.weight</c>, <c>main.4.bias</c>.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    // The field name is the state dictionary's prefix.
    private readonly Sequential main;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Input and output channels.</param>
    /// <param name="random">Initialises the convolutions as PyTorch does by default.</param>
    public ResidualBlock(int channels, RandomSource random)
        : base(nameof(ResidualBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentNullException.ThrowIfNull(random);
        Channels = channels;
        main = Sequential(
            Conv2d(channels, channels, 3, padding: 1, bias: false, device: LayerDevice.Current),
            InstanceNorm2d(channels, affine: true, device: LayerDevice.Current),
            ReLU(),
            Conv2d(channels, channels, 3, padding: 1, bias: false, device: LayerDevice.Current),
            InstanceNorm2d(channels, affine: true, device: LayerDevice.Current));
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Input and output channels.</summary>
    public int Channels { get; }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Input of shape (N, channels, H, W).</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor forward(Tensor input) => input.Plus(main.forward(input));
}
