using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Appends a fixed 2-D sinusoidal position code to a feature map as extra constant channels: the first half of the
/// code describes the row, the second half the column, each with the Transformer's sine/cosine pairs.
/// </summary>
/// <remarks>
/// For an axis position p (the pixel's row or column index, from 0) and d = <see cref="EncodingChannels"/> / 2 channels per
/// axis, channel 2i holds sin(p·ωᵢ) and channel 2i + 1 holds cos(p·ωᵢ), with ωᵢ = temperature^(−2i/d). Rows take
/// channels [0, d) and columns [d, 2d). The code has no parameters; it tells a translation-equivariant network where
/// it is, a variant of SAGAN's binary window code for detectors that need finer positions.
/// </remarks>
public sealed class SinusoidalPositionEncoding2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the encoding.</summary>
    /// <param name="encodingChannels">The number of code channels; a positive multiple of 4.</param>
    /// <param name="temperature">The base of the geometric frequency ladder; the Transformer uses 10000.</param>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not a positive multiple of 4, or the temperature is not above 1.</exception>
    public SinusoidalPositionEncoding2d(int encodingChannels, double temperature = 10000)
    {
        if (encodingChannels <= 0 || encodingChannels % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(encodingChannels), encodingChannels, "The encoding needs a positive multiple of 4 channels (a sine and a cosine per frequency, per axis).");
        }

        if (!(temperature > 1) || double.IsPositiveInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be finite and greater than 1.");
        }

        EncodingChannels = encodingChannels;
        Temperature = temperature;
    }

    /// <summary>The number of code channels appended to the input.</summary>
    public int EncodingChannels { get; }

    /// <summary>The base of the frequency ladder.</summary>
    public double Temperature { get; }

    /// <summary>The code for a <paramref name="height"/> × <paramref name="width"/> grid.</summary>
    /// <param name="height">Rows of the grid.</param>
    /// <param name="width">Columns of the grid.</param>
    /// <returns>A constant tensor of shape (1, <see cref="EncodingChannels"/>, height, width).</returns>
    public Tensor Encode(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var perAxis = EncodingChannels / 2;
        var plane = height * width;
        var code = new float[EncodingChannels * plane];
        for (var i = 0; i < perAxis / 2; i++)
        {
            var frequency = Math.Pow(Temperature, -2.0 * i / perAxis);
            for (var y = 0; y < height; y++)
            {
                var (sin, cos) = Math.SinCos(y * frequency);
                for (var x = 0; x < width; x++)
                {
                    code[((2 * i) * plane) + (y * width) + x] = (float)sin;
                    code[(((2 * i) + 1) * plane) + (y * width) + x] = (float)cos;
                }
            }

            for (var x = 0; x < width; x++)
            {
                var (sin, cos) = Math.SinCos(x * frequency);
                for (var y = 0; y < height; y++)
                {
                    code[((perAxis + (2 * i)) * plane) + (y * width) + x] = (float)sin;
                    code[((perAxis + (2 * i) + 1) * plane) + (y * width) + x] = (float)cos;
                }
            }
        }

        return Tensor.FromArray(code, 1, EncodingChannels, height, width);
    }

    /// <summary>Appends the code after the input's channels.</summary>
    /// <param name="input">Features of shape (N, C, H, W).</param>
    /// <returns>Features of shape (N, C + <see cref="EncodingChannels"/>, H, W).</returns>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, null, string.Create(CultureInfo.InvariantCulture, $"SinusoidalPositionEncoding2d({EncodingChannels})"));
        var code = Encode(input.Size(2), input.Size(3)).BroadcastTo([input.Size(0), EncodingChannels, input.Size(2), input.Size(3)]);
        return Tensor.Concat([input, code], 1);
    }
}
