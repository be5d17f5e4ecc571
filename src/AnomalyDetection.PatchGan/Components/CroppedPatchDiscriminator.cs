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
/// Judges every patch of an image on its own: the image is cut into the non-overlapping P × P patches of a grid
/// (<see cref="PatchGrid.Crop"/>) and one small CNN, shared by all patches, gives each patch a logit (high = real).
/// </summary>
/// <remarks>
/// The CNN (<c>features.{i}</c>) is a stack of 4×4 stride-2 convolutions (padding 1), each followed by instance
/// normalisation (except the first, as in pix2pix; a convolution that is normalised has no bias, which the
/// normalisation would cancel) and LeakyReLU(0.2), then a linear layer (<c>head</c>) from the flattened features to
/// one logit. With widths 64-128-256 and 16-pixel patches this is the C64-C128-C256 patch critic of the Patch-GAN
/// design. Every convolution halves the patch, so the patch must be divisible by 2^layers and leave at least 2 × 2
/// pixels for the last normalisation.
/// </remarks>
public sealed class CroppedPatchDiscriminator : Module<Tensor, Tensor>
{
    [ComponentName(Name = "features")]
    private readonly Sequential _features;

    [ComponentName(Name = "head")]
    private readonly Linear _head;

    /// <summary>Creates the discriminator and initialises it as PyTorch does by default.</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="patchSize">The side P of a patch, in pixels.</param>
    /// <param name="widths">The output channels of each convolution, at least one.</param>
    /// <param name="random">The initialisation source.</param>
    /// <exception cref="ArgumentException">The patch is too small for the number of convolutions, or a width is not positive.</exception>
    public CroppedPatchDiscriminator(int inChannels, int patchSize, IReadOnlyList<int> widths, RandomSource random)
        : base(nameof(CroppedPatchDiscriminator))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ArgumentNullException.ThrowIfNull(random);
        PatchDiscriminatorLayers.CheckWidths(widths);
        var finalSize = patchSize >> widths.Count;
        if (patchSize % (1 << widths.Count) != 0 || finalSize < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {patchSize}-pixel patch cannot pass {widths.Count} stride-2 convolutions: the patch must be a multiple of {1 << widths.Count} and at least {2 << widths.Count} pixels."),
                nameof(patchSize));
        }

        InChannels = inChannels;
        PatchSize = patchSize;
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        long channels = inChannels;
        for (var i = 0; i < widths.Count; i++)
        {
            blocks.Add((PatchDiscriminatorLayers.Name(i), ConvolutionStages.Down(channels, widths[i], ConvolutionStages.EncoderNormalization(i, StageNormalization.Instance))));
            channels = widths[i];
        }

        _features = Sequential(blocks);
        _head = Linear(channels * finalSize * finalSize, 1, device: LayerDevice.Current);
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Image channels.</summary>
    public int InChannels { get; }

    /// <summary>The side of a patch, in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Gives every patch of every image a logit.</summary>
    /// <param name="input">Images of shape (N, C, H, W) with H and W multiples of <see cref="PatchSize"/>.</param>
    /// <returns>Logits of shape (N, 1, H/P, W/P), one per patch.</returns>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, InChannels, nameof(CroppedPatchDiscriminator));
        long n = input.shape[0], rows = input.shape[2] / PatchSize, columns = input.shape[3] / PatchSize;
        using var scope = torch.NewDisposeScope();
        var features = DisposeScopes.ForwardStageByStage(_features, PatchGrid.Crop(input, PatchSize));
        var logits = _head.forward(features.reshape(features.shape[0], -1));
        return logits.reshape(n, 1, rows, columns).MoveToOuterDisposeScope();
    }
}
