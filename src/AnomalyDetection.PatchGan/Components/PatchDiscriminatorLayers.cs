using System.Globalization;
using AnomalyDetection.Components;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>What the patch discriminators' stages (<see cref="ConvolutionStages.Down"/>) share: their width checks and
/// names.</summary>
internal static class PatchDiscriminatorLayers
{
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
