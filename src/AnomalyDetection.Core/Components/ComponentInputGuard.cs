using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Components;

/// <summary>The shape checks network components make before computing, with messages that quote the shape.</summary>
public static class ComponentInputGuard
{
    /// <summary>Refuses anything but a batch of images (N, C, H, W), with <paramref name="channels"/> channels when given.</summary>
    /// <param name="input">The input.</param>
    /// <param name="channels">The channel count required, or null for any.</param>
    /// <param name="component">Names the component in the message.</param>
    /// <exception cref="ArgumentException">The rank or channel count is wrong.</exception>
    public static void CheckImage(Tensor input, int? channels, string component)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4)
        {
            throw new ArgumentException($"{component} expects input of rank 4 (N, C, H, W) but got shape {Format(input.shape)}.", nameof(input));
        }

        if (channels is { } c && input.shape[1] != c)
        {
            throw new ArgumentException($"{component} expects {c} input channels but got shape {Format(input.shape)}.", nameof(input));
        }
    }

    /// <summary>Refuses images whose height or width is not a multiple of <paramref name="patchSize"/>.</summary>
    /// <param name="input">A batch of images (N, C, H, W).</param>
    /// <param name="patchSize">The patch side.</param>
    /// <param name="component">Names the component in the message.</param>
    /// <exception cref="ArgumentException">A side is not divisible.</exception>
    public static void CheckDivisible(Tensor input, int patchSize, string component)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.shape[2] % patchSize != 0 || input.shape[3] % patchSize != 0)
        {
            throw new ArgumentException(
                $"{component} needs a height and width divisible by the patch size {patchSize}, but got shape {Format(input.shape)}.", nameof(input));
        }
    }

    /// <summary>A shape as <c>[2, 1, 64, 64]</c>.</summary>
    /// <param name="shape">The dimensions.</param>
    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
