using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// A residual block that changes the channel count, as SAGAN's decoder uses after each skip concatenation:
/// s = ReLU(IN(Conv3×3(x))), output s + IN(Conv3×3(s)). The shortcut starts after the first convolution, so no
/// projection of x is needed. Parameters: <c>first.0.weight</c>, <c>first.1.*</c>, <c>second.0.weight</c>,
/// <c>second.1.*</c>.
/// </summary>
public sealed class DecoderResidualBlock : Module<Tensor, Tensor>
{
    // Field names are the state dictionary's prefixes.
    private readonly Sequential first;
    private readonly Sequential second;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="random">Initialises the convolutions as PyTorch does by default.</param>
    public DecoderResidualBlock(int inChannels, int outChannels, RandomSource random)
        : base(nameof(DecoderResidualBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(random);
        InChannels = inChannels;
        OutChannels = outChannels;
        first = ConvBlocks.ConvNormRelu(inChannels, outChannels, 3, 1, 1, random);
        second = Sequential(
            Conv2d(outChannels, outChannels, 3, padding: 1, bias: false, device: LayerDevice.Current),
            InstanceNorm2d(outChannels, affine: true, device: LayerDevice.Current));

        // The first stage initialised itself when built; only the second is drawn here.
        WeightInit.ResetParameters(second, random);
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Input of shape (N, inChannels, H, W).</param>
    /// <returns>Output of shape (N, outChannels, H, W).</returns>
    public override Tensor forward(Tensor input)
    {
        var s = first.forward(input);
        return s.Plus(second.forward(s));
    }
}
