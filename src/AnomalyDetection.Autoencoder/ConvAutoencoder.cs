using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

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
        : base(nameof(ConvAutoencoder))
    {
        Channels = channels;
        Stages = widths.Count;
        LatentChannels = latentChannels;

        var down = new List<(string, Module<Tensor, Tensor>)>();
        var width = channels;
        for (var i = 0; i < Stages; i++)
        {
            down.Add((Name("down", i), ConvolutionStages.Down(width, widths[i], ConvolutionStages.EncoderNormalization(i, StageNormalization.Batch))));
            width = widths[i];
        }

        down.Add(("latent", Conv2d(width, latentChannels, 1, device: LayerDevice.Current)));
        encoder = Sequential(down);

        var up = new List<(string, Module<Tensor, Tensor>)>();
        width = latentChannels;
        for (var i = Stages - 1; i >= 1; i--)
        {
            up.Add((Name("up", i), ConvolutionStages.Up(width, widths[i - 1], StageNormalization.Batch)));
            width = widths[i - 1];
        }

        up.Add(("output", ConvolutionStages.Output(width, channels)));
        decoder = Sequential(up);
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Image channels, in and out.</summary>
    public int Channels { get; }

    /// <summary>The number of down (and up) stages.</summary>
    public int Stages { get; }

    /// <summary>The bottleneck channels.</summary>
    public int LatentChannels { get; }

    // Field names are the state dictionary's prefixes.
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    /// <summary>The latent code of a batch (N, Channels, H, W), padded to a multiple of 2^stages first.</summary>
    public Tensor Encode(Tensor input)
    {
        CheckInput(input);
        var (top, bottom) = Padding(input.shape[2]);
        var (left, right) = Padding(input.shape[3]);
        var padded = top + bottom + left + right == 0 ? input : functional.pad(input, [left, right, top, bottom]);
        return encoder.forward(padded);
    }

    /// <summary>Reconstructs a batch (N, Channels, H, W); the output has the input's shape.</summary>
    public override Tensor forward(Tensor input)
    {
        var decoded = decoder.forward(Encode(input));
        var top = Padding(input.shape[2]).Before;
        var left = Padding(input.shape[3]).Before;
        return decoded.shape[2] == input.shape[2] && decoded.shape[3] == input.shape[3]
            ? decoded
            : decoded.narrow(2, top, input.shape[2]).narrow(3, left, input.shape[3]);
    }

    private (long Before, long After) Padding(long side)
    {
        var factor = 1L << Stages;
        var total = ((side + factor - 1) / factor * factor) - side;
        return (total / 2, total - (total / 2));
    }

    private void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != Channels)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameof(ConvAutoencoder)} expects input of shape (N, {Channels}, H, W) but got shape [{string.Join(", ", input.shape)}]."),
                nameof(input));
        }
    }

    private static string Name(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);
}
