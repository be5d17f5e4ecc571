using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Autoencoder;

/// <summary>
/// A plain convolutional encoder–decoder without skip connections, so everything the decoder rebuilds must pass
/// through the bottleneck. The state dictionary names its parts <c>encoder.*</c> and <c>decoder.*</c>.
/// </summary>
/// <remarks>
/// <para>Encoder stage i: 4×4 stride-2 convolution to widths[i], batch normalisation (not on the first stage),
/// LeakyReLU(0.2); then a 1×1 convolution to the latent channels, with no activation. Decoder stage i (from the
/// deepest): 4×4 stride-2 transposed convolution to widths[i − 1], batch normalisation, ReLU; the output stage is a
/// 4×4 stride-2 transposed convolution to the image channels and tanh, matching images scaled to [−1, 1].
/// Convolutions followed by batch normalisation have no bias, which it would cancel.</para>
/// <para>Inputs whose sides are not multiples of 2^stages are zero-padded, centred, to the next multiple and the
/// output is cropped back to the input's size.</para>
/// </remarks>
internal sealed class ConvAutoencoder : Module<Tensor, Tensor>
{
    /// <summary>Creates the network and initialises it.</summary>
    /// <param name="channels">Image channels, in and out.</param>
    /// <param name="widths">The channels of each encoder stage, shallow to deep; at least one.</param>
    /// <param name="latentChannels">The bottleneck channels.</param>
    /// <param name="random">The initialisation source.</param>
    public ConvAutoencoder(int channels, IReadOnlyList<int> widths, int latentChannels, RandomSource random)
    {
        Channels = channels;
        Stages = widths.Count;
        LatentChannels = latentChannels;

        var encoder = new Sequential();
        var width = channels;
        for (var i = 0; i < Stages; i++)
        {
            var stage = new Sequential();
            stage.Append("conv", new Conv2d(width, widths[i], 4, stride: 2, padding: 1, hasBias: i == 0, random: random));
            if (i > 0)
            {
                stage.Append("norm", new BatchNorm2d(widths[i]));
            }

            stage.Append("act", new LeakyReLU(0.2f));
            encoder.Append(Name("down", i), stage);
            width = widths[i];
        }

        encoder.Append("latent", new Conv2d(width, latentChannels, 1, random: random));
        Encoder = RegisterModule("encoder", encoder);

        var decoder = new Sequential();
        width = latentChannels;
        for (var i = Stages - 1; i >= 1; i--)
        {
            decoder.Append(Name("up", i), new Sequential(
                ("conv", new ConvTranspose2d(width, widths[i - 1], 4, stride: 2, padding: 1, hasBias: false, random: random)),
                ("norm", new BatchNorm2d(widths[i - 1])),
                ("act", new ReLU())));
            width = widths[i - 1];
        }

        decoder.Append("output", new Sequential(
            ("conv", new ConvTranspose2d(width, channels, 4, stride: 2, padding: 1, random: random)),
            ("act", new Tanh())));
        Decoder = RegisterModule("decoder", decoder);
    }

    /// <summary>Image channels, in and out.</summary>
    public int Channels { get; }

    /// <summary>The number of down (and up) stages.</summary>
    public int Stages { get; }

    /// <summary>The bottleneck channels.</summary>
    public int LatentChannels { get; }

    /// <summary>The stride-2 stages and the latent projection.</summary>
    public Sequential Encoder { get; }

    /// <summary>The transposed-convolution stages and the tanh output.</summary>
    public Sequential Decoder { get; }

    /// <summary>The bottleneck codes of the images, padded as <see cref="Forward"/> pads them.</summary>
    /// <param name="input">Images of shape (N, <see cref="Channels"/>, H, W).</param>
    /// <returns>Codes of shape (N, <see cref="LatentChannels"/>, ⌈H / 2^stages⌉, ⌈W / 2^stages⌉).</returns>
    public Tensor Encode(Tensor input)
    {
        CheckInput(input);
        var (top, bottom) = Padding(input.Size(2));
        var (left, right) = Padding(input.Size(3));
        return Encoder.Forward(Functional.Pad(input, left, right, top, bottom));
    }

    /// <summary>Reconstructs the images.</summary>
    /// <param name="input">Images of shape (N, <see cref="Channels"/>, H, W).</param>
    /// <returns>Reconstructions of the input's shape, in [−1, 1].</returns>
    /// <exception cref="ArgumentException">The input is not (N, <see cref="Channels"/>, H, W).</exception>
    public override Tensor Forward(Tensor input)
    {
        var decoded = Decoder.Forward(Encode(input));
        var (top, bottom) = Padding(input.Size(2));
        var (left, right) = Padding(input.Size(3));
        return top + bottom + left + right == 0 ? decoded : Functional.Pad(decoded, -left, -right, -top, -bottom);
    }

    /// <summary>The rows (or columns) added before and after a side to reach the next multiple of 2^stages.</summary>
    private (int Before, int After) Padding(int side)
    {
        var factor = 1 << Stages;
        var total = ((side + factor - 1) / factor * factor) - side;
        return (total / 2, total - (total / 2));
    }

    private void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Size(1) != Channels)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(ConvAutoencoder)} expects input of shape (N, {Channels}, H, W) but got shape [{string.Join(", ", input.ShapeArray())}]."),
                nameof(input));
        }
    }

    private static string Name(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);
}
