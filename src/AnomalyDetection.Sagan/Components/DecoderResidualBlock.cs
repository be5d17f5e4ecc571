using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// A residual block that changes the channel count, as SAGAN's decoder uses after each skip concatenation:
/// s = ReLU(IN(Conv3×3(x))), output s + IN(Conv3×3(s)). The shortcut starts after the first convolution, so no
/// projection of x is needed. Parameters: <c>first.0.weight</c>, <c>first.1.*</c>, <c>second.0.weight</c>,
/// <c>second.1.*</c>.
/// </summary>
public sealed class DecoderResidualBlock : Module<Tensor, Tensor>
{
    private readonly Sequential _first;
    private readonly Sequential _second;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="random">Initialises the convolutions; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public DecoderResidualBlock(int inChannels, int outChannels, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        InChannels = inChannels;
        OutChannels = outChannels;
        _first = RegisterModule("first", ConvBlocks.ConvNormRelu(inChannels, outChannels, 3, 1, 1, random));
        _second = RegisterModule("second", new Sequential(
            new Conv2d(outChannels, outChannels, 3, padding: 1, hasBias: false, random: random),
            new InstanceNorm2d(outChannels, affine: true)));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Applies the block.</summary>
    /// <param name="input">Input of shape (N, inChannels, H, W).</param>
    /// <returns>Output of shape (N, outChannels, H, W).</returns>
    public override Tensor Forward(Tensor input)
    {
        var s = _first.Forward(input);
        return s + _second.Forward(s);
    }
}
