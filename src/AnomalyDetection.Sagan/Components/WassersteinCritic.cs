using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// The image-level WGAN critic of StarGAN and SAGAN: <c>depth</c> × [Conv4×4 stride 2 (with bias) → LeakyReLU (slope 0.01 in SAGAN)],
/// doubling the channels from <c>width</c> at each layer after the first, then a bias-free Conv3×3 to one output
/// channel. There is no normalisation, as a gradient penalty requires. On an image of side 2^depth the output is 1×1
/// (one score per image); on larger images it is a coarse grid of scores.
/// </summary>
/// <remarks>Parameters: <c>main.{2i}.weight</c>, <c>main.{2i}.bias</c> for layer i, and <c>head.weight</c>. At
/// width 64 and depth 6 on one channel (SAGAN's critic) it has 44,719,040 parameters.</remarks>
public sealed class WassersteinCritic : Module<Tensor, Tensor>
{
    // Field names are the state dictionary's prefixes.
    private readonly Sequential main;
    private readonly Conv2d head;

    /// <summary>Creates the critic.</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="width">Channels of the first layer; SAGAN uses 64.</param>
    /// <param name="depth">Stride-2 layers; SAGAN uses 6, for 64×64 images.</param>
    /// <param name="random">Initialises the convolutions as PyTorch does by default.</param>
    /// <param name="negativeSlope">The LeakyReLU's slope for negative inputs; SAGAN uses 0.01.</param>
    public WassersteinCritic(int inChannels, int width, int depth, RandomSource random, double negativeSlope = SaganOptions.AuthorsCriticNegativeSlope)
        : base(nameof(WassersteinCritic))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        ArgumentNullException.ThrowIfNull(random);
        if (!(negativeSlope is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The negative slope must be in [0, 1).");
        }

        InChannels = inChannels;
        Width = width;
        Depth = depth;
        var layers = new List<Module<Tensor, Tensor>>();
        long channels = inChannels;
        for (var layer = 0; layer < depth; layer++)
        {
            var next = layer == 0 ? width : channels * 2;
            layers.Add(Conv2d(channels, next, 4, stride: 2, padding: 1));
            layers.Add(new LeakyRelu(negativeSlope));
            channels = next;
        }

        main = Sequential(layers);
        head = Conv2d(channels, 1, 3, padding: 1, bias: false);
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Image channels.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the first layer.</summary>
    public int Width { get; }

    /// <summary>Stride-2 layers.</summary>
    public int Depth { get; }

    /// <summary>Scores images; higher means more like the real (normal) images.</summary>
    /// <param name="input">Images of shape (N, inChannels, H, W), with H and W at least 2^depth.</param>
    /// <returns>Scores of shape (N, 1, H/2^depth, W/2^depth).</returns>
    public override Tensor forward(Tensor input) => head.forward(main.forward(input));
}
