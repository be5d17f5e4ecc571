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
public sealed class AutoencoderOptions : DetectorOptions
{
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

    /// <summary>Adam's learning rate. Defaults to 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Adam's β₁. Defaults to 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's β₂. Defaults to 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Passes over the normal training images. Defaults to 200.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>When set, the number of training steps, overriding <see cref="Epochs"/>. Defaults to null.</summary>
    public long? MaxSteps { get; set; }

    /// <summary>The fraction of map pixels, highest first, whose mean is the image score; 1 takes the mean of the whole
    /// (smoothed) map. Defaults to 0.1.</summary>
    public double ScoreTopFraction { get; set; } = 0.1;

    /// <summary>The standard deviation, in pixels, of the Gaussian that smooths the error map before it is scored; 0 turns smoothing off. Defaults to 2.</summary>
    public double MapSmoothingSigma { get; set; } = 2;

    /// <summary>Which side of the residual x − x̂ the map and the score count: <see cref="ResidualPolarity.Absolute"/>
    /// (the default) counts both; <see cref="ResidualPolarity.Brighter"/> suits lesions brighter than healthy tissue,
    /// <see cref="ResidualPolarity.Darker"/> darker ones. Training is unchanged.</summary>
    public ResidualPolarity ResidualPolarity { get; set; }

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

        if (!Enum.IsDefined(ResidualPolarity))
        {
            yield return Invalid(nameof(ResidualPolarity), ResidualPolarity, "Absolute, Brighter or Darker");
        }

        if (!Enum.IsDefined(Loss))
        {
            yield return Invalid(nameof(Loss), Loss, "L2 or L1");
        }

        foreach (var error in AdamErrors(LearningRate, Beta1, Beta2).Concat(TrainingLengthErrors(Epochs, MaxSteps)))
        {
            yield return error;
        }

        if (!(ScoreTopFraction is > 0 and <= 1))
        {
            yield return Invalid(nameof(ScoreTopFraction), ScoreTopFraction, "in (0, 1]");
        }

        if (!(MapSmoothingSigma is >= 0 and <= 64))
        {
            yield return Invalid(nameof(MapSmoothingSigma), MapSmoothingSigma, "in [0, 64]");
        }
    }
}
