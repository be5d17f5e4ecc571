using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// The image-level WGAN critic of StarGAN and SAGAN: <c>depth</c> × [Conv4×4 stride 2 (with bias) → LeakyReLU(0.01)],
/// doubling the channels from <c>width</c> at each layer after the first, then a bias-free Conv3×3 to one output
/// channel. There is no normalisation, as a gradient penalty requires. On an image of side 2^depth the output is 1×1
/// (one score per image); on larger images it is a coarse grid of scores.
/// </summary>
/// <remarks>Parameters: <c>main.{2i}.weight</c>, <c>main.{2i}.bias</c> for layer i, and <c>head.weight</c>. At
/// width 64 and depth 6 on one channel (SAGAN's critic) it has 44,719,040 parameters.</remarks>
public sealed class WassersteinCritic : Module<Tensor, Tensor>
{
    private readonly Sequential _main;
    private readonly Conv2d _head;

    /// <summary>Creates the critic.</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="width">Channels of the first layer; SAGAN uses 64.</param>
    /// <param name="depth">Stride-2 layers; SAGAN uses 6, for 64×64 images.</param>
    /// <param name="random">Initialises the convolutions; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public WassersteinCritic(int inChannels, int width = 64, int depth = 6, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        InChannels = inChannels;
        Width = width;
        Depth = depth;
        _main = RegisterModule("main", new Sequential());
        var channels = inChannels;
        for (var layer = 0; layer < depth; layer++)
        {
            var next = layer == 0 ? width : channels * 2;
            _main.Append(new Conv2d(channels, next, 4, stride: 2, padding: 1, random: random));
            _main.Append(new LeakyReLU(0.01f));
            channels = next;
        }

        _head = RegisterModule("head", new Conv2d(channels, 1, 3, padding: 1, hasBias: false, random: random));
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
    public override Tensor Forward(Tensor input) => _head.Forward(_main.Forward(input));
}
