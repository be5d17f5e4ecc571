using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// Fuses a per-window position code into a feature map (SAGAN's anatomical consistency module): the code's bits
/// become constant channels concatenated to the features, then a 1×1 convolution (with bias) maps back to the
/// feature channels, followed by a plain instance norm and ReLU. Parameters: <c>conv.weight</c>, <c>conv.bias</c>.
/// </summary>
public sealed class PositionCodeFusion : Module<Tensor, Tensor, Tensor>
{
    // Field names are the state dictionary's names.
    private readonly Conv2d conv;
    private readonly InstanceNorm2d norm;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Feature channels, in and out.</param>
    /// <param name="bits">Bits of the position code; 3 for SAGAN's 2×2 windows.</param>
    /// <param name="random">Initialises the convolution as PyTorch does by default.</param>
    public PositionCodeFusion(int channels, int bits, RandomSource random)
        : base(nameof(PositionCodeFusion))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        ArgumentNullException.ThrowIfNull(random);
        Channels = channels;
        Bits = bits;
        conv = Conv2d(channels + bits, channels, 1, device: LayerDevice.Current);
        norm = InstanceNorm2d(channels, device: LayerDevice.Current);
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Feature channels, in and out.</summary>
    public int Channels { get; }

    /// <summary>Bits of the position code.</summary>
    public int Bits { get; }

    /// <summary>Concatenates the code planes and fuses them.</summary>
    /// <param name="features">Features of shape (N, channels, H, W).</param>
    /// <param name="codes">Codes of shape (N, bits), as <see cref="WindowPositionCode.Codes"/> gives them, on the features' device.</param>
    /// <returns>Features of shape (N, channels, H, W).</returns>
    /// <exception cref="ArgumentException">The codes do not have one row of <see cref="Bits"/> values per feature map.</exception>
    public override Tensor forward(Tensor features, Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(codes);
        if (features.dim() != 4 || codes.dim() != 2 || codes.shape[0] != features.shape[0] || codes.shape[1] != Bits)
        {
            throw new ArgumentException(
                $"PositionCodeFusion expects features (N, C, H, W) and codes (N, {Bits}), but got {ComponentInputGuard.Format(features.shape)} and {ComponentInputGuard.Format(codes.shape)}.", nameof(codes));
        }

        long n = features.shape[0], h = features.shape[2], w = features.shape[3];
        var planes = codes.reshape(n, Bits, 1, 1).expand(n, Bits, h, w);
        return functional.relu(norm.forward(conv.forward(torch.cat([features, planes], 1))));
    }
}
