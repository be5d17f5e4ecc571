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
/// The fully convolutional PatchGAN discriminator of pix2pix (Isola et al. 2017), whose map of overlapping-patch logits
/// is pooled onto a grid of non-overlapping P × P patches, so it answers in the same shape as
/// <see cref="CroppedPatchDiscriminator"/>. With P equal to the image size it is an image-level discriminator.
/// </summary>
/// <remarks>
/// Layers (<c>body.{i}</c>): a 4×4 stride-2 convolution for every width but the last (instance normalisation on all but
/// the first), then a 4×4 stride-1 convolution to the last width, each followed by LeakyReLU(0.2) (normalised
/// convolutions have no bias, which the normalisation would cancel), and a 4×4 stride-1 convolution to one logit
/// channel (<c>body.logits</c>; padding 1 throughout). Widths 64-128-256-512 give pix2pix's 70 × 70 PatchGAN. The logit
/// map is resized bilinearly to the image size and averaged over each patch.
/// </remarks>
public sealed class PooledPatchGanDiscriminator : Module<Tensor, Tensor>
{
    [ComponentName(Name = "body")]
    private readonly Sequential _body;

    /// <summary>Creates the discriminator and initialises it as PyTorch does by default.</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="patchSize">The side P of a grid patch the logits are pooled onto, in pixels.</param>
    /// <param name="widths">The output channels of each convolution before the logit layer, at least one.</param>
    /// <param name="random">The initialisation source.</param>
    /// <exception cref="ArgumentException">A width is not positive.</exception>
    public PooledPatchGanDiscriminator(int inChannels, int patchSize, IReadOnlyList<int> widths, RandomSource random)
        : base(nameof(PooledPatchGanDiscriminator))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ArgumentNullException.ThrowIfNull(random);
        PatchDiscriminatorLayers.CheckWidths(widths);
        InChannels = inChannels;
        PatchSize = patchSize;
        DownsamplingLayers = widths.Count - 1;
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long channels = inChannels;
        for (var i = 0; i < widths.Count; i++)
        {
            var stride = i < DownsamplingLayers ? 2 : 1;
            layers.Add((PatchDiscriminatorLayers.Name(i), ConvolutionStages.Down(channels, widths[i], ConvolutionStages.EncoderNormalization(i, StageNormalization.Instance), stride)));
            channels = widths[i];
        }

        layers.Add(("logits", Conv2d(channels, 1, 4, stride: 1, padding: 1, device: LayerDevice.Current)));
        _body = Sequential(layers);
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Image channels.</summary>
    public int InChannels { get; }

    /// <summary>The side of a grid patch, in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>The number of stride-2 convolutions (one fewer than the widths).</summary>
    public int DownsamplingLayers { get; }

    /// <summary>The side of the logit map for a square image of <paramref name="imageSize"/> pixels.</summary>
    /// <param name="imageSize">The image side.</param>
    /// <returns>The map side; below 1 when the image is too small for this discriminator.</returns>
    public int LogitMapSize(int imageSize)
    {
        var size = imageSize;
        for (var i = 0; i < DownsamplingLayers; i++)
        {
            size = ((size + 2 - 4) / 2) + 1;
        }

        // The stride-1 layer and the logit layer (4×4, padding 1) each remove one pixel.
        return size - 2;
    }

    /// <summary>Gives every grid patch of every image a logit.</summary>
    /// <param name="input">Images of shape (N, C, H, W) with H and W multiples of <see cref="PatchSize"/>.</param>
    /// <returns>Logits of shape (N, 1, H/P, W/P): the logit map averaged over each patch.</returns>
    /// <exception cref="ArgumentException">The image is too small for the layers, or not a multiple of the patch size.</exception>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, InChannels, nameof(PooledPatchGanDiscriminator));
        ComponentInputGuard.CheckDivisible(input, PatchSize, nameof(PooledPatchGanDiscriminator));
        if (LogitMapSize(checked((int)Math.Min(input.shape[2], input.shape[3]))) < 1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(PooledPatchGanDiscriminator)} with {DownsamplingLayers} stride-2 layers needs a larger image than shape {ComponentInputGuard.Format(input.shape)}."),
                nameof(input));
        }

        using var scope = torch.NewDisposeScope();
        var logits = DisposeScopes.ForwardStageByStage(_body, input);
        var resized = functional.interpolate(logits, [input.shape[2], input.shape[3]], mode: torch.InterpolationMode.Bilinear, align_corners: false);
        return PatchGrid.Means(resized, PatchSize).MoveToOuterDisposeScope();
    }
}
