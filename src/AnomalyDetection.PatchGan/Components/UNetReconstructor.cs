using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>
/// A U-Net encoder–decoder that maps an image to an image of the same size in [−1, 1], for masked or plain
/// reconstruction: as many stride-2 down stages as widths, the same number of up stages, and skip connections that
/// concatenate each encoder stage's output to the decoder input at the same resolution.
/// </summary>
/// <remarks>
/// <para>Encoder stage i (<c>down{i}</c>): 4×4 stride-2 convolution to widths[i], instance normalisation (not on the
/// first stage, as in pix2pix), LeakyReLU(0.2). Decoder stage i (<c>up{i}</c>, from the deepest): 4×4 stride-2
/// transposed convolution to widths[i − 1], instance normalisation, ReLU, then concatenation with encoder stage i − 1.
/// The output stage is a 4×4 stride-2 transposed convolution to the output channels and tanh. Widths 64-128-256-512 give
/// the 4-down/4-up reconstructor of the Patch-GAN design. Convolutions followed by instance normalisation have no bias,
/// which it would cancel; the normalisation is PyTorch's default (no affine parameters, no running statistics).</para>
/// <para>With <c>attention</c>, a <see cref="SelfAttention2d"/> block mixes the bottleneck features across the whole
/// image before decoding. Images must be divisible by 2^stages and leave at least 2 × 2 pixels at the bottleneck.</para>
/// </remarks>
public sealed class UNetReconstructor : Module<Tensor, Tensor>
{
    // The stages are registered by name (down0, up1, ...); arrays are not picked up by RegisterComponents.
    private readonly Sequential[] _down;
    private readonly Sequential?[] _up;

    [ComponentName(Name = "attention")]
    private readonly SelfAttention2d? _attention;

    [ComponentName(Name = "output")]
    private readonly Sequential _output;

    /// <summary>Creates the network and initialises it as PyTorch does by default.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="widths">The channels of each encoder stage, shallow to deep; at least one.</param>
    /// <param name="random">The initialisation source, drawn in construction order (encoder, attention, decoder, output).</param>
    /// <param name="attention">Whether to apply self-attention at the bottleneck.</param>
    /// <exception cref="ArgumentException">No width is given, or a width is not positive.</exception>
    public UNetReconstructor(int inChannels, int outChannels, IReadOnlyList<int> widths, RandomSource random, bool attention = false)
        : base(nameof(UNetReconstructor))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(random);
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
            var stage = ConvolutionStages.Down(channels, widths[i], ConvolutionStages.EncoderNormalization(i, StageNormalization.Instance));
            _down[i] = Stage(Name("down", i), stage, random);
            channels = widths[i];
        }

        if (attention)
        {
            _attention = new SelfAttention2d(channels, random);
            register_module("attention", _attention);
        }

        // _up[i] decodes from resolution level i + 1 to level i and is followed by the skip from encoder stage i − 1.
        _up = new Sequential?[Stages];
        for (var i = Stages - 1; i >= 1; i--)
        {
            _up[i] = Stage(Name("up", i), ConvolutionStages.Up(channels, widths[i - 1], StageNormalization.Instance), random);
            channels = 2 * widths[i - 1];
        }

        _output = Stage("output", ConvolutionStages.Output(channels, outChannels), random);

        // Everything is registered above, in construction order; this only marks the module as complete.
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The number of down (and up) stages.</summary>
    public int Stages { get; }

    /// <summary>The bottleneck's self-attention, or null without.</summary>
    public SelfAttention2d? Attention => _attention;

    /// <summary>Reconstructs the images.</summary>
    /// <param name="input">Images of shape (N, inChannels, H, W), H and W multiples of 2^<see cref="Stages"/>.</param>
    /// <returns>Images of shape (N, outChannels, H, W) in [−1, 1].</returns>
    /// <exception cref="ArgumentException">The image size does not fit the stages.</exception>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, InChannels, nameof(UNetReconstructor));
        var factor = 1L << Stages;
        if (input.shape[2] % factor != 0 || input.shape[3] % factor != 0 || input.shape[2] < 2 * factor || input.shape[3] < 2 * factor)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(UNetReconstructor)} with {Stages} stages needs a height and width that are multiples of {factor} and at least {2 * factor}, but got shape {ComponentInputGuard.Format(input.shape)}."),
                nameof(input));
        }

        // Frees the activations that autograd does not keep as soon as the pass is done.
        using var scope = TorchSharp.torch.NewDisposeScope();
        var skips = new Tensor[Stages];
        var x = input;
        // Each stage frees its intermediate activations on return (peak memory near PyTorch's; docs/performance.md).
        for (var i = 0; i < Stages; i++)
        {
            var (down, stageInput) = (_down[i], x);
            x = skips[i] = DisposeScopes.KeepResult(() => down.forward(stageInput));
        }

        if (_attention is not null)
        {
            var (attention, attentionInput) = (_attention, x);
            x = DisposeScopes.KeepResult(() => attention.forward(attentionInput));
        }

        for (var i = Stages - 1; i >= 1; i--)
        {
            var (up, stageInput, skip) = (_up[i]!, x, skips[i - 1]);
            x = DisposeScopes.KeepResult(() => TorchSharp.torch.cat([up.forward(stageInput), skip], 1));
        }

        return _output.forward(x).MoveToOuterDisposeScope();
    }

    private Sequential Stage(string name, Sequential stage, RandomSource random)
    {
        WeightInit.ResetParameters(stage, random);
        register_module(name, stage);
        return stage;
    }

    private static string Name(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);
}
