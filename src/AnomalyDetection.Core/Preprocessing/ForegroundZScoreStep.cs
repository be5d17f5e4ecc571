using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Standardises intensities within the foreground, as brain-MRI pipelines do inside the brain mask: each channel's
/// mean and (population) standard deviation are taken over foreground pixels only, the z-scores are clipped to
/// ±<see cref="ClipSigma"/> and divided by it, which maps the foreground to [-1, 1]; background pixels become
/// <see cref="BackgroundValue"/>.
/// </summary>
/// <remarks>A pixel is foreground when any channel exceeds <see cref="Threshold"/> (by default: is non-zero). If a
/// channel's foreground is constant its z-scores are 0; an image without foreground is all background.</remarks>
public sealed record ForegroundZScoreStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="threshold">Pixels with a channel above this are foreground.</param>
    /// <param name="clipSigma">The z-score magnitude mapped to ±1; positive.</param>
    /// <param name="backgroundValue">The output for background pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or <paramref name="clipSigma"/> is not positive.</exception>
    [JsonConstructor]
    public ForegroundZScoreStep(float threshold = 0f, float clipSigma = 3f, float backgroundValue = -1f)
    {
        if (!float.IsFinite(threshold) || !float.IsFinite(backgroundValue))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold and background value must be finite.");
        }

        if (!(clipSigma > 0) || !float.IsFinite(clipSigma))
        {
            throw new ArgumentOutOfRangeException(nameof(clipSigma), clipSigma, "The clipping range must be a positive number of standard deviations.");
        }

        Threshold = threshold;
        ClipSigma = clipSigma;
        BackgroundValue = backgroundValue;
    }

    /// <summary>Pixels with a channel above this are foreground.</summary>
    public float Threshold { get; }

    /// <summary>The z-score magnitude mapped to ±1.</summary>
    public float ClipSigma { get; }

    /// <summary>The output for background pixels.</summary>
    public float BackgroundValue { get; }

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.PixelCount;
        var foreground = AnyChannelAbove(image, Threshold);

        var output = new float[image.Pixels.Length];
        for (var c = 0; c < image.Channels; c++)
        {
            var channel = image.Channel(c);
            var (mean, std) = ForegroundStatistics(channel, foreground);
            var scale = std > 0 ? 1.0 / std : 0.0;
            var destination = output.AsSpan(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                destination[i] = foreground[i]
                    ? (float)(Math.Clamp((channel[i] - mean) * scale, -ClipSigma, ClipSigma) / ClipSigma)
                    : BackgroundValue;
            }
        }

        return image.WithPixels(image.Channels, output);
    }

    private static (double Mean, double Std) ForegroundStatistics(ReadOnlySpan<float> channel, bool[] foreground)
    {
        double sum = 0;
        var count = 0;
        for (var i = 0; i < channel.Length; i++)
        {
            if (foreground[i])
            {
                sum += channel[i];
                count++;
            }
        }

        if (count == 0)
        {
            return (0, 0);
        }

        var mean = sum / count;
        double squares = 0;
        for (var i = 0; i < channel.Length; i++)
        {
            if (foreground[i])
            {
                squares += (channel[i] - mean) * (channel[i] - mean);
            }
        }

        return (mean, Math.Sqrt(squares / count));
    }
}
