using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// A U-Net encoder–decoder that maps an image to an image of the same size in [−1, 1], for masked or plain
/// reconstruction: as many stride-2 down stages as widths, the same number of up stages, and skip connections that
/// concatenate each encoder stage's output to the decoder input at the same resolution.
/// </summary>
/// <remarks>
/// <para>Encoder stage i: 4×4 stride-2 convolution to widths[i], instance normalisation (not on the first stage, as in
/// pix2pix), LeakyReLU(0.2). Decoder stage i (from the deepest): 4×4 stride-2 transposed convolution to widths[i − 1],
/// instance normalisation, ReLU, then concatenation with encoder stage i − 1. The output stage is a 4×4 stride-2
/// transposed convolution to the output channels and tanh. Widths 64-128-256-512 give the 4-down/4-up reconstructor of
/// the Patch-GAN design. Convolutions followed by instance normalisation have no bias, which it would cancel.</para>
/// <para>With <c>attention</c>, a <see cref="SelfAttention2d"/> block mixes the bottleneck features across the whole
/// image before decoding. Images must be divisible by 2^stages and leave at least 2 × 2 pixels at the bottleneck.</para>
/// </remarks>
public sealed class UNetReconstructor : Module<Tensor, Tensor>
{
    private readonly Sequential[] _down;
    private readonly Sequential[] _up;
    private readonly SelfAttention2d? _attention;
    private readonly Sequential _output;

    /// <summary>Creates the network and initialises it.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="widths">The channels of each encoder stage, shallow to deep; at least one.</param>
    /// <param name="attention">Whether to apply self-attention at the bottleneck.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    /// <exception cref="ArgumentException">No width is given, or a width is not positive.</exception>
    public UNetReconstructor(int inChannels, int outChannels, IReadOnlyList<int> widths, bool attention = false, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count == 0 || widths.Any(w => w <= 0))
        {
            throw new ArgumentException("The U-Net needs at least one stage, each with a positive width.", nameof(widths));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        Stages = widths.Count;
        _down = new Sequential[Stages];
        var channels = inChannels;
        for (var i = 0; i < Stages; i++)
        {
            var stage = new Sequential();
            stage.Append("conv", new Conv2d(channels, widths[i], 4, stride: 2, padding: 1, hasBias: i == 0, random: random));
            if (i > 0)
            {
                stage.Append("norm", new InstanceNorm2d(widths[i]));
            }

            stage.Append("act", new LeakyReLU(0.2f));
            _down[i] = RegisterModule(Name("down", i), stage);
            channels = widths[i];
        }

        if (attention)
        {
            _attention = RegisterModule("attention", new SelfAttention2d(channels, random: random));
        }

        // _up[i] decodes from resolution level i + 1 to level i and is followed by the skip from encoder stage i − 1.
        _up = new Sequential[Stages];
        for (var i = Stages - 1; i >= 1; i--)
        {
            var stage = new Sequential();
            stage.Append("conv", new ConvTranspose2d(channels, widths[i - 1], 4, stride: 2, padding: 1, hasBias: false, random: random));
            stage.Append("norm", new InstanceNorm2d(widths[i - 1]));
            stage.Append("act", new ReLU());
            _up[i] = RegisterModule(Name("up", i), stage);
            channels = 2 * widths[i - 1];
        }

        _output = RegisterModule("output", new Sequential(
            ("conv", new ConvTranspose2d(channels, outChannels, 4, stride: 2, padding: 1, random: random)),
            ("act", new Tanh())));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The number of down (and up) stages.</summary>
    public int Stages { get; }

    /// <summary>Whether the bottleneck has self-attention.</summary>
    public bool HasAttention => _attention is not null;

    /// <summary>Reconstructs the images.</summary>
    /// <param name="input">Images of shape (N, inChannels, H, W), H and W multiples of 2^<see cref="Stages"/>.</param>
    /// <returns>Images of shape (N, outChannels, H, W) in [−1, 1].</returns>
    /// <exception cref="ArgumentException">The image size does not fit the stages.</exception>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, InChannels, nameof(UNetReconstructor));
        var factor = 1 << Stages;
        if (input.Size(2) % factor != 0 || input.Size(3) % factor != 0 || input.Size(2) < 2 * factor || input.Size(3) < 2 * factor)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(UNetReconstructor)} with {Stages} stages needs a height and width that are multiples of {factor} and at least {2 * factor}, but got shape {ComponentInputGuard.Format(input.Shape)}."),
                nameof(input));
        }

        var skips = new Tensor[Stages];
        var x = input;
        for (var i = 0; i < Stages; i++)
        {
            x = skips[i] = _down[i].Forward(x);
        }

        if (_attention is not null)
        {
            x = _attention.Forward(x);
        }

        for (var i = Stages - 1; i >= 1; i--)
        {
            x = Tensor.Concat([_up[i].Forward(x), skips[i - 1]], 1);
        }

        return _output.Forward(x);
    }

    private static string Name(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);
}
