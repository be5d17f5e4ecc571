using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Cuts a centred window of a fixed size, like torchvision's <c>CenterCrop</c>: the top-left corner is at
/// round((size − crop) / 2) with halves rounding to even. A window larger than the image is padded with zeros,
/// the odd extra pixel going to the right or bottom.
/// </summary>
public sealed record CenterCropStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="width">The window width, at least 1.</param>
    /// <param name="height">The window height, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or width × height exceeds
    /// <see cref="ImageLimits.MaxPixels"/>.</exception>
    [JsonConstructor]
    public CenterCropStep(int width, int height)
    {
        ThrowIfTooLarge(width, height, "crop");
        Width = width;
        Height = height;
    }

    /// <summary>The window width.</summary>
    public int Width { get; }

    /// <summary>The window height.</summary>
    public int Height { get; }

    /// <inheritdoc/>
    internal override (int Width, int Height)? OutputSize => (Width, Height);

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == Width && image.Height == Height)
        {
            return image;
        }

        var left = Offset(image.Width, Width);
        var top = Offset(image.Height, Height);
        var output = new float[image.Channels * Width * Height];
        for (var c = 0; c < image.Channels; c++)
        {
            var plane = image.Channel(c);
            for (var y = 0; y < Height; y++)
            {
                var sourceY = y + top;
                if ((uint)sourceY >= (uint)image.Height)
                {
                    continue;
                }

                for (var x = 0; x < Width; x++)
                {
                    var sourceX = x + left;
                    if ((uint)sourceX < (uint)image.Width)
                    {
                        output[(((c * Height) + y) * Width) + x] = plane[(sourceY * image.Width) + sourceX];
                    }
                }
            }
        }

        return new ImageData(Width, Height, image.Channels, output, image.SourceBitDepth);
    }

    /// <inheritdoc/>
    public override ImageData ApplyToMask(ImageData mask) => Apply(mask);

    /// <summary>The source coordinate of the window's first column or row (negative when padding).</summary>
    private static int Offset(int size, int crop) =>
        size >= crop ? (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven) : -((crop - size) / 2);
}
