using System.Numerics.Tensors;
using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// Maps intensities linearly from [<see cref="InputLow"/>, <see cref="InputHigh"/>] to
/// [<see cref="OutputLow"/>, <see cref="OutputHigh"/>]; by default from the decoders' [0, 1] to the [-1, 1] of a
/// tanh generator, which equals torchvision's <c>Normalize(0.5, 0.5)</c>.
/// </summary>
public sealed record RescaleIntensityStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="inputLow">The input value mapped to <paramref name="outputLow"/>.</param>
    /// <param name="inputHigh">The input value mapped to <paramref name="outputHigh"/>; must differ from <paramref name="inputLow"/>.</param>
    /// <param name="outputLow">The output for <paramref name="inputLow"/>.</param>
    /// <param name="outputHigh">The output for <paramref name="inputHigh"/>.</param>
    /// <param name="clip">Whether to clamp results to the output range.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or the input range is empty.</exception>
    [JsonConstructor]
    public RescaleIntensityStep(float inputLow = 0f, float inputHigh = 1f, float outputLow = -1f, float outputHigh = 1f, bool clip = false)
    {
        if (!float.IsFinite(inputLow) || !float.IsFinite(inputHigh) || !float.IsFinite(outputLow) || !float.IsFinite(outputHigh))
        {
            throw new ArgumentOutOfRangeException(nameof(inputLow), "Every bound of an intensity rescale must be finite.");
        }

        if (inputLow == inputHigh)
        {
            throw new ArgumentOutOfRangeException(nameof(inputHigh), inputHigh, $"The input range is empty: inputLow and inputHigh are both {inputLow}.");
        }

        InputLow = inputLow;
        InputHigh = inputHigh;
        OutputLow = outputLow;
        OutputHigh = outputHigh;
        Clip = clip;
    }

    /// <summary>The input value mapped to <see cref="OutputLow"/>.</summary>
    public float InputLow { get; }

    /// <summary>The input value mapped to <see cref="OutputHigh"/>.</summary>
    public float InputHigh { get; }

    /// <summary>The output for <see cref="InputLow"/>.</summary>
    public float OutputLow { get; }

    /// <summary>The output for <see cref="InputHigh"/>.</summary>
    public float OutputHigh { get; }

    /// <summary>Whether results are clamped to the output range.</summary>
    public bool Clip { get; }

    /// <inheritdoc/>
    public override ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = (OutputHigh - OutputLow) / (InputHigh - InputLow);
        var output = new float[image.Pixels.Length];
        TensorPrimitives.Multiply(image.Pixels, scale, output);
        TensorPrimitives.Add(output, OutputLow - (InputLow * scale), output);
        if (Clip)
        {
            TensorPrimitives.Clamp(output, Math.Min(OutputLow, OutputHigh), Math.Max(OutputLow, OutputHigh), output);
        }

        return image.WithPixels(image.Channels, output);
    }
}
