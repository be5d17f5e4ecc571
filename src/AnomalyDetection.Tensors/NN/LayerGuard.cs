namespace AnomalyDetection.Tensors.NN;

/// <summary>Input checks shared by the image layers, so every layer words its errors the same way.</summary>
internal static class LayerGuard
{
    /// <summary>Throws unless <paramref name="input"/> is (N, C, H, W), with C = <paramref name="channels"/> when that is given.</summary>
    public static void CheckImage(Tensor input, int? channels, string layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{layer} expects input of rank 4 (N, C, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        if (channels is { } c && input.Size(1) != c)
        {
            throw new ArgumentException($"{layer} expects {c} input channels but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }
    }
}
