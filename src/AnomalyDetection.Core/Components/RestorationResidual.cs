using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Components;

/// <summary>The per-element residual between images and their restorations, on the side a <see cref="ResidualPolarity"/> names.</summary>
public static class RestorationResidual
{
    /// <summary>The residual of every element, not negative.</summary>
    /// <param name="images">The images, any shape.</param>
    /// <param name="restored">Their restorations, the same shape.</param>
    /// <param name="polarity">Which side counts.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="polarity"/> is not a defined value.</exception>
    public static Tensor Of(Tensor images, Tensor restored, ResidualPolarity polarity)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(restored);
        if (!images.shape.SequenceEqual(restored.shape))
        {
            throw new ArgumentException(
                $"A residual needs restorations of the images' shape {ComponentInputGuard.Format(images.shape)}, but got {ComponentInputGuard.Format(restored.shape)}.",
                nameof(restored));
        }

        var difference = images - restored;
        return polarity switch
        {
            ResidualPolarity.Absolute => difference.abs(),
            ResidualPolarity.Brighter => difference.relu(),
            ResidualPolarity.Darker => difference.neg().relu(),
            _ => throw new ArgumentOutOfRangeException(nameof(polarity), polarity, "Expected Absolute, Brighter or Darker."),
        };
    }
}
