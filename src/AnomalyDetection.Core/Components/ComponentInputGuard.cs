using System.Globalization;
using AnomalyDetection.Tensors;

namespace AnomalyDetection.Components;

/// <summary>Input checks shared by the Patch-GAN building blocks, so they word their errors the same way.</summary>
internal static class ComponentInputGuard
{
    /// <summary>Throws unless <paramref name="input"/> is (N, C, H, W), with C = <paramref name="channels"/> when that is given.</summary>
    public static void CheckImage(Tensor input, int? channels, string component)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{component} expects input of rank 4 (N, C, H, W) but got shape {Format(input.Shape)}.", nameof(input));
        }

        if (channels is { } c && input.Size(1) != c)
        {
            throw new ArgumentException($"{component} expects {c} input channels but got shape {Format(input.Shape)}.", nameof(input));
        }
    }

    /// <summary>Throws unless the image's height and width are multiples of <paramref name="patchSize"/>.</summary>
    public static void CheckDivisible(Tensor input, int patchSize, string component)
    {
        if (input.Size(2) % patchSize != 0 || input.Size(3) % patchSize != 0)
        {
            throw new ArgumentException(
                $"{component} needs a height and width divisible by the patch size {patchSize}, but got shape {Format(input.Shape)}.", nameof(input));
        }
    }

    /// <summary>A shape as "[2, 3, 4]".</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
