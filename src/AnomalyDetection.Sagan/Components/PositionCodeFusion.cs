using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Fuses a per-window position code into a feature map (SAGAN's anatomical consistency module): the code's bits
/// become constant channels concatenated to the features, then a 1×1 convolution (with bias) maps back to the
/// feature channels, followed by a plain instance norm and ReLU. Parameters: <c>conv.weight</c>, <c>conv.bias</c>.
/// </summary>
public sealed class PositionCodeFusion : Module
{
    private readonly Conv2d _conv;
    private readonly InstanceNorm2d _norm;

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Feature channels, in and out.</param>
    /// <param name="bits">Bits of the position code; 3 for SAGAN's 2×2 windows.</param>
    /// <param name="random">Initialises the convolution; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public PositionCodeFusion(int channels, int bits = 3, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        Channels = channels;
        Bits = bits;
        _conv = RegisterModule("conv", new Conv2d(channels + bits, channels, 1, random: random));
        _norm = RegisterModule("norm", new InstanceNorm2d(channels));
    }

    /// <summary>Feature channels, in and out.</summary>
    public int Channels { get; }

    /// <summary>Bits of the position code.</summary>
    public int Bits { get; }

    /// <summary>Concatenates the code planes and fuses them.</summary>
    /// <param name="features">Features of shape (N, channels, H, W).</param>
    /// <param name="codes">Codes of shape (N, bits), as <see cref="WindowPositionCode.Codes"/> gives them.</param>
    /// <returns>Features of shape (N, channels, H, W).</returns>
    /// <exception cref="ArgumentException">The codes do not have one row of <see cref="Bits"/> values per feature map.</exception>
    public Tensor Forward(Tensor features, Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(codes);
        if (features.Rank != 4 || codes.Rank != 2 || codes.Size(0) != features.Size(0) || codes.Size(1) != Bits)
        {
            throw new ArgumentException(
                $"PositionCodeFusion expects features (N, C, H, W) and codes (N, {Bits}), but got {ComponentInputGuard.Format(features.Shape)} and {ComponentInputGuard.Format(codes.Shape)}.", nameof(codes));
        }

        int n = features.Size(0), h = features.Size(2), w = features.Size(3);
        var planes = codes.Reshape(n, Bits, 1, 1).BroadcastTo([n, Bits, h, w]);
        return _norm.Forward(_conv.Forward(Tensor.Concat([features, planes], 1))).Relu();
    }
}
