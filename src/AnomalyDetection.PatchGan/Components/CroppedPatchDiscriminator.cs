using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Judges every patch of an image on its own: the image is cut into the non-overlapping P × P patches of a grid
/// (<see cref="PatchGrid.Crop"/>) and one small CNN, shared by all patches, gives each patch a logit (high = real).
/// </summary>
/// <remarks>
/// The CNN is a stack of 4×4 stride-2 convolutions (padding 1), each followed by instance normalisation (except the
/// first, as in pix2pix; a convolution that is normalised has no bias, which the normalisation would cancel) and
/// LeakyReLU(0.2), then a linear layer from the flattened features to one logit. With widths
/// 64-128-256 and 16-pixel patches this is the C64-C128-C256 patch critic of the Patch-GAN design. Every convolution
/// halves the patch, so the patch must be divisible by 2^layers and leave at least 2 × 2 pixels for the last
/// normalisation.
/// </remarks>
public sealed class CroppedPatchDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Linear _head;

    /// <summary>Creates the discriminator and initialises it.</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="patchSize">The side P of a patch, in pixels.</param>
    /// <param name="widths">The output channels of each convolution, at least one.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    /// <exception cref="ArgumentException">The patch is too small for the number of convolutions, or a width is not positive.</exception>
    public CroppedPatchDiscriminator(int inChannels, int patchSize, IReadOnlyList<int> widths, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count == 0 || widths.Any(w => w <= 0))
        {
            throw new ArgumentException("The discriminator needs at least one convolution, each with a positive width.", nameof(widths));
        }

        var finalSize = patchSize >> widths.Count;
        if (patchSize % (1 << widths.Count) != 0 || finalSize < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A {patchSize}-pixel patch cannot pass {widths.Count} stride-2 convolutions: the patch must be a multiple of {1 << widths.Count} and at least {2 << widths.Count} pixels."),
                nameof(patchSize));
        }

        InChannels = inChannels;
        PatchSize = patchSize;
        _features = RegisterModule("features", new Sequential());
        var channels = inChannels;
        for (var i = 0; i < widths.Count; i++)
        {
            var block = new Sequential();
            block.Append("conv", new Conv2d(channels, widths[i], 4, stride: 2, padding: 1, hasBias: i == 0, random: random));
            if (i > 0)
            {
                block.Append("norm", new InstanceNorm2d(widths[i]));
            }

            block.Append("act", new LeakyReLU(0.2f));
            _features.Append(block);
            channels = widths[i];
        }

        _head = RegisterModule("head", new Linear(channels * finalSize * finalSize, 1, random: random));
    }

    /// <summary>Image channels.</summary>
    public int InChannels { get; }

    /// <summary>The side of a patch, in pixels.</summary>
    public int PatchSize { get; }

    /// <summary>Gives every patch of every image a logit.</summary>
    /// <param name="input">Images of shape (N, C, H, W) with H and W multiples of <see cref="PatchSize"/>.</param>
    /// <returns>Logits of shape (N, 1, H/P, W/P), one per patch.</returns>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, InChannels, nameof(CroppedPatchDiscriminator));
        int n = input.Size(0), rows = input.Size(2) / PatchSize, columns = input.Size(3) / PatchSize;
        var features = _features.Forward(PatchGrid.Crop(input, PatchSize));
        var logits = _head.Forward(features.Reshape(features.Size(0), -1));
        return logits.Reshape(n, 1, rows, columns);
    }
}
