using System.Globalization;
using AnomalyDetection.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>The 4×4 convolution blocks (padding 1) shared by the patch discriminators.</summary>
internal static class PatchDiscriminatorLayers
{
    /// <summary>
    /// Conv(4×4, padding 1) → instance normalisation (except on the first block, as in pix2pix) → LeakyReLU(0.2), named
    /// <c>conv</c>, <c>norm</c>, <c>act</c>. A normalised convolution has no bias, which the normalisation would cancel.
    /// </summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">The convolution stride.</param>
    /// <param name="first">Whether this is the first block (no normalisation, with bias).</param>
    public static Sequential Block(long inChannels, long outChannels, long stride, bool first)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("conv", Conv2d(inChannels, outChannels, 4, stride: stride, padding: 1, bias: first, device: LayerDevice.Current)) };
        if (!first)
        {
            layers.Add(("norm", InstanceNorm2d(outChannels, device: LayerDevice.Current)));
        }

        layers.Add(("act", LeakyReLU(0.2)));
        return Sequential(layers);
    }

    /// <summary>Refuses an empty width list or a width that is not positive.</summary>
    /// <param name="widths">The convolution widths.</param>
    public static void CheckWidths(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count == 0 || widths.Any(w => w <= 0))
        {
            throw new ArgumentException("The discriminator needs at least one convolution, each with a positive width.", nameof(widths));
        }
    }

    /// <summary>A block's name inside its Sequential, as PyTorch numbers them.</summary>
    /// <param name="index">The block's index.</param>
    public static string Name(int index) => index.ToString(CultureInfo.InvariantCulture);
}
