using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Randomness;
using TorchSharp;

namespace AnomalyDetection.Autoencoder;

/// <summary>
/// Settings of an <see cref="AutoencoderDetector"/>, a plain convolutional autoencoder used as a reconstruction-error
/// baseline. The defaults are a conventional small design, not tuned on any dataset: four stride-2 stages of widths
/// 32-64-128-256 down to a 16-channel bottleneck, squared-error loss, Adam 1e-3 (0.9, 0.999), 200 epochs, images scored
/// by the mean of the top 10 % of a σ = 2 px smoothed error map.
/// </summary>
public sealed class AutoencoderOptions : RestorationDetectorOptions
{
    /// <summary>Creates options with the defaults above.</summary>
    public AutoencoderOptions()
        : base(learningRate: 1e-3, beta1: 0.9, scoreTopFraction: 0.1, mapSmoothingSigma: 2)
    {
    }

    /// <summary>The channels of the encoder's first stage; each deeper stage doubles them, up to 8×. Defaults to 32 (32-64-128-256).</summary>
    public int BaseWidth { get; set; } = 32;

    /// <summary>
    /// The number of stride-2 down (and up) stages. An image whose side is not a multiple of 2^depth is zero-padded,
    /// centred, to the next multiple and the reconstruction cropped back, so 28-pixel images work at depth 4. Defaults to 4.
    /// </summary>
    public int Depth { get; set; } = 4;

    /// <summary>The channels of the bottleneck, a 1 × 1 projection of the deepest stage, at 1/2^depth of the image side.
    /// Fewer channels compress harder. Defaults to 16.</summary>
    public int LatentChannels { get; set; } = 16;

    /// <summary>The reconstruction error trained on and shown by the anomaly map. Defaults to <see cref="ReconstructionLoss.L2"/>.</summary>
    public ReconstructionLoss Loss { get; set; } = ReconstructionLoss.L2;

    /// <summary>Passes over the normal training images. Defaults to 200.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>When set, the number of training steps, overriding <see cref="Epochs"/>. Defaults to null.</summary>
    public long? MaxSteps { get; set; }

    /// <summary>The encoder's stage widths.</summary>
    internal int[] Widths
    {
        get
        {
            var widths = new int[Depth];
            for (var i = 0; i < Depth; i++)
            {
                widths[i] = BaseWidth * (1 << Math.Min(i, 3));
            }

            return widths;
        }
    }

    /// <inheritdoc/>
    protected override torch.nn.Module CreateSavedNetwork() => new ConvAutoencoder(Channels, Widths, LatentChannels, new RandomSource(Seed));

    /// <inheritdoc/>
    /// <remarks>The encoder ladder, the mirrored decoder and the reconstructed image.</remarks>
    protected override long ActivationElementsPerImage() =>
        (2 * LadderActivationElements(ImageSize, Widths)) + ((long)Channels * ImageSize * ImageSize);

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (BaseWidth is < 1 or > 1024)
        {
            yield return Invalid(nameof(BaseWidth), BaseWidth, "in [1, 1024]");
        }

        if (Depth is < 1 or > 8)
        {
            yield return Invalid(nameof(Depth), Depth, "in [1, 8]");
        }
        else if (ImageSize <= 1 << Depth)
        {
            yield return Invalid(nameof(Depth), Depth,
                string.Create(CultureInfo.InvariantCulture, $"such that ImageSize ({ImageSize}) is larger than 2^depth, leaving at least 2 × 2 pixels at the bottleneck"));
        }

        if (LatentChannels is < 1 or > 4096)
        {
            yield return Invalid(nameof(LatentChannels), LatentChannels, "in [1, 4096]");
        }

        if (!Enum.IsDefined(Loss))
        {
            yield return Invalid(nameof(Loss), Loss, "L2 or L1");
        }

        foreach (var error in TrainingLengthErrors(Epochs, MaxSteps))
        {
            yield return error;
        }
    }
}
