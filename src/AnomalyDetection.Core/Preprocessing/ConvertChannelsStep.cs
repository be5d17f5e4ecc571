using System.Numerics.Tensors;
using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Converts to gray (1 channel) or RGB (3 channels). Gray is ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, the
/// formula of Pillow's <c>convert("L")</c>; gray becomes RGB by copying it to each channel. Alpha is dropped
/// without compositing, as Pillow does.
/// </summary>
public sealed record ConvertChannelsStep : PreprocessingStep
{
    private const float RedWeight = 0.299f;
    private const float GreenWeight = 0.587f;
    private const float BlueWeight = 0.114f;

    /// <summary>Creates the step.</summary>
    /// <param name="channels">1 for gray or 3 for RGB.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not 1 or 3.</exception>
    [JsonConstructor]
    public ConvertChannelsStep(int channels)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images convert to 1 (gray) or 3 (RGB) channels.");
        }

        Channels = channels;
    }

    /// <summary>The output channel count: 1 or 3.</summary>
    public int Channels { get; }

    /// <inheritdoc/>
    internal override int? OutputChannels => Channels;

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels == Channels)
        {
            return image;
        }

        var plane = image.PixelCount;
        var isColor = image.Channels >= 3;
        var output = new float[Channels * plane];
        if (Channels == 1)
        {
            if (isColor)
            {
                TensorPrimitives.Multiply(image.Channel(0), RedWeight, output);
                TensorPrimitives.MultiplyAdd(image.Channel(1), GreenWeight, output, output);
                TensorPrimitives.MultiplyAdd(image.Channel(2), BlueWeight, output, output);
            }
            else
            {
                image.Channel(0).CopyTo(output);
            }
        }
        else
        {
            for (var c = 0; c < 3; c++)
            {
                image.Channel(isColor ? c : 0).CopyTo(output.AsSpan(c * plane));
            }
        }

        return image.WithPixels(Channels, output);
    }
}
