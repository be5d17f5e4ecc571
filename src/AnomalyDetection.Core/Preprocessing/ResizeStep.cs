using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>Resizes the image to a fixed width and height (the aspect ratio is not kept).</summary>
public sealed record ResizeStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="width">The output width, at least 1.</param>
    /// <param name="height">The output height, at least 1.</param>
    /// <param name="method">The interpolation; <see cref="ResizeMethod.Bilinear"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, width × height exceeds
    /// <see cref="ImageLimits.MaxPixels"/>, or the method is undefined.</exception>
    [JsonConstructor]
    public ResizeStep(int width, int height, ResizeMethod method = ResizeMethod.Bilinear)
    {
        ThrowIfTooLarge(width, height, "resize");
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown resize method.");
        }

        Width = width;
        Height = height;
        Method = method;
    }

    /// <summary>The output width.</summary>
    public int Width { get; }

    /// <summary>The output height.</summary>
    public int Height { get; }

    /// <summary>The interpolation.</summary>
    public ResizeMethod Method { get; }

    /// <inheritdoc/>
    internal override (int Width, int Height)? OutputSize => (Width, Height);

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Resampler.Resize(image, Width, Height, Method);
    }

    /// <summary>Resizes the mask with the same method, then marks pixels at least half covered (≥ 0.5) as 1.</summary>
    /// <param name="mask">A one-channel mask with values 0 and 1.</param>
    /// <returns>The resized binary mask.</returns>
    public override ImageData ApplyToMask(ImageData mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var resized = Resampler.Resize(mask, Width, Height, Method);
        var binary = new float[resized.Pixels.Length];
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = resized.Pixels[i] >= 0.5f ? 1f : 0f;
        }

        return resized.WithPixels(resized.Channels, binary);
    }
}
