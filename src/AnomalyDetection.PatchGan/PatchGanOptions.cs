using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// Settings of a <see cref="PatchGanDetector"/>. The paper (Chen, Yang et al. 2025) publishes no code, so every
/// architectural and training choice below is inferred; the defaults are the proposed design of the project's research
/// notes (masked reconstruction on a 16-pixel grid, a cropped C64-C128-C256 patch discriminator, top-25% ranking with
/// weight 2, λ_rec = 10, λ_adv = 1, Adam 2e-4 (0.5, 0.999), 200 epochs, α = 0.5 fusion, σ = 2 px map smoothing).
/// </summary>
public sealed class PatchGanOptions : RestorationDetectorOptions
{
    /// <summary>Creates options with the design's defaults: 128-pixel images, batches of 16, Adam 2e-4 (0.5, 0.999),
    /// images scored by the top 25 % of the fused patch scores, maps smoothed with σ = 2 px.</summary>
    public PatchGanOptions()
        : base(learningRate: 2e-4, beta1: 0.5, scoreTopFraction: 0.25, mapSmoothingSigma: 2)
    {
        ImageSize = 128;
        BatchSize = 16;
    }

    /// <summary>The side of a grid patch in pixels; masks, discrimination and patch scores use this grid. Defaults to 16 (an 8 × 8 grid at 128 px).</summary>
    public int PatchSize { get; set; } = 16;

    /// <summary>Whether training hides random patches and testing reconstructs through complementary masks; false trains
    /// and tests a plain reconstruction (the masking ablation). Defaults to true.</summary>
    public bool UseMasking { get; set; } = true;

    /// <summary>The smallest fraction of patches hidden in a training image, in (0, 1). Defaults to 0.25.</summary>
    public double MaskRatioMin { get; set; } = 0.25;

    /// <summary>The largest fraction of patches hidden in a training image, in [<see cref="MaskRatioMin"/>, 1). Defaults to 0.5.</summary>
    public double MaskRatioMax { get; set; } = 0.5;

    /// <summary>The number of complementary test masks; each patch is hidden in exactly one of them and its reconstruction
    /// is taken from that pass. Defaults to 4 (interleaved checkerboards of a 2 × 2 block).</summary>
    public int TestMaskCount { get; set; } = 4;

    /// <summary>The channels of the reconstructor's first stage; each deeper stage doubles them, up to 8×. Defaults to 64 (64-128-256-512).</summary>
    public int ReconstructorBaseWidth { get; set; } = 64;

    /// <summary>The number of down (and up) stages of the U-Net reconstructor. Defaults to 4.</summary>
    public int ReconstructorDepth { get; set; } = 4;

    /// <summary>Whether the reconstructor applies self-attention at its bottleneck. Defaults to false.</summary>
    public bool ReconstructorAttention { get; set; }

    /// <summary>How patches are judged. Defaults to <see cref="PatchDiscriminatorKind.Cropped"/>.</summary>
    public PatchDiscriminatorKind Discriminator { get; set; } = PatchDiscriminatorKind.Cropped;

    /// <summary>The channels of the discriminator's first convolution; each further one doubles them, up to 8×. Defaults to 64.</summary>
    public int DiscriminatorBaseWidth { get; set; } = 64;

    /// <summary>The number of convolutions of the patch discriminator. Defaults to 3 (C64-C128-C256). For the pix2pix
    /// 70 × 70 PatchGAN choose <see cref="PatchDiscriminatorKind.FullyConvolutional"/> with 4.</summary>
    public int DiscriminatorLayers { get; set; } = 3;

    /// <summary>The weight of an extra image-level discriminator (a fully convolutional PatchGAN averaged over the whole
    /// image) in both adversarial losses; 0 leaves it out. Defaults to 0; the design suggests 0.1 when it is used.</summary>
    public double GlobalDiscriminatorWeight { get; set; }

    /// <summary>How patch losses are weighted during training. Defaults to <see cref="PatchRanking.TopK"/>.</summary>
    public PatchRanking Ranking { get; set; } = PatchRanking.TopK;

    /// <summary>The fraction κ of each image's patches, by abnormality, that <see cref="PatchRanking.TopK"/> weights up. Defaults to 0.25.</summary>
    public double RankingFraction { get; set; } = 0.25;

    /// <summary>The weight of the top-ranked patches under <see cref="PatchRanking.TopK"/>; the others weigh 1. Defaults to 2.</summary>
    public double RankingWeight { get; set; } = 2;

    /// <summary>The softmax temperature τ of the <see cref="PatchRanking.Learned"/> head, whose scores lie in [−1, 1], so the
    /// heaviest patch weighs at most e^(2/τ) times the lightest. Defaults to 0.5.</summary>
    public double RankingTemperature { get; set; } = 0.5;

    /// <summary>The hidden units of the <see cref="PatchRanking.Learned"/> head. Defaults to 16.</summary>
    public int RankingHeadWidth { get; set; } = 16;

    /// <summary>λ_rec, the weight of the L1 reconstruction loss. Defaults to 10.</summary>
    public double ReconstructionWeight { get; set; } = 10;

    /// <summary>λ_adv, the weight of the per-patch adversarial loss of the reconstructor. Defaults to 1.</summary>
    public double AdversarialWeight { get; set; } = 1;

    /// <summary>The L1 weight of hidden pixels relative to visible ones. Defaults to 2.</summary>
    public double MaskedPixelWeight { get; set; } = 2;

    /// <summary>Passes over the normal training images. Defaults to 200.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>When set, the number of training steps, overriding <see cref="Epochs"/>. Defaults to null.</summary>
    public long? MaxSteps { get; set; }

    /// <summary>α in s = α·z(reconstruction error) + (1 − α)·z(fake probability), the fusion of each patch's two
    /// z-normalised anomaly terms. Defaults to 0.5.</summary>
    public double ScoreFusionAlpha { get; set; } = 0.5;

    /// <summary>What the image score is the top <c>ScoreTopFraction</c> of: the fused patch scores (the default, as in
    /// the paper) or the pixels of the smoothed map, before any normal map is subtracted (to score the map after it,
    /// set <c>Calibration.MapScoreTopFraction</c>).</summary>
    public PatchGanImageScore ImageScore { get; set; } = PatchGanImageScore.Patches;

    /// <summary>The patch grid's rows (and columns): <see cref="DetectorOptions.ImageSize"/> / <see cref="PatchSize"/>.</summary>
    internal int GridSize => ImageSize / PatchSize;

    /// <summary>The reconstructor's stage widths.</summary>
    internal int[] ReconstructorWidths => Ladder(ReconstructorBaseWidth, ReconstructorDepth);

    /// <summary>The discriminator's convolution widths.</summary>
    internal int[] DiscriminatorWidths => Ladder(DiscriminatorBaseWidth, DiscriminatorLayers);

    /// <inheritdoc/>
    /// <remarks>Every trained part under one root (see <see cref="PatchGanNetwork"/>).</remarks>
    protected override torch.nn.Module CreateSavedNetwork() => new PatchGanNetwork(this, LayerDevice.Current);

    /// <inheritdoc/>
    /// <remarks>The reconstructor's encoder ladder and its mirrored decoder, its output image, and the discriminator's ladder.</remarks>
    protected override long ActivationElementsPerImage() =>
        (2 * LadderActivationElements(ImageSize, ReconstructorWidths)) + ((long)Channels * ImageSize * ImageSize) + LadderActivationElements(ImageSize, DiscriminatorWidths);

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (PatchSize is < 2 or > 4096)
        {
            yield return Invalid(nameof(PatchSize), PatchSize, "in [2, 4096]");
        }
        else if (ImageSize % PatchSize != 0 || ImageSize / PatchSize < 2)
        {
            yield return Invalid(nameof(PatchSize), PatchSize, string.Create(CultureInfo.InvariantCulture, $"a divisor of ImageSize ({ImageSize}) that leaves a grid of at least 2 × 2 patches"));
        }
        else
        {
            foreach (var problem in ValidateGrid())
            {
                yield return problem;
            }
        }

        if (!(MaskRatioMin is > 0 and < 1))
        {
            yield return Invalid(nameof(MaskRatioMin), MaskRatioMin, "in (0, 1)");
        }

        if (!(MaskRatioMax >= MaskRatioMin && MaskRatioMax < 1))
        {
            yield return Invalid(nameof(MaskRatioMax), MaskRatioMax, string.Create(CultureInfo.InvariantCulture, $"in [MaskRatioMin ({MaskRatioMin}), 1)"));
        }

        if (ReconstructorBaseWidth is < 1 or > 1024)
        {
            yield return Invalid(nameof(ReconstructorBaseWidth), ReconstructorBaseWidth, "in [1, 1024]");
        }

        if (ReconstructorDepth is < 1 or > 8)
        {
            yield return Invalid(nameof(ReconstructorDepth), ReconstructorDepth, "in [1, 8]");
        }
        else if (ImageSize % (1 << ReconstructorDepth) != 0 || ImageSize < 2 << ReconstructorDepth)
        {
            yield return Invalid(nameof(ReconstructorDepth), ReconstructorDepth,
                string.Create(CultureInfo.InvariantCulture, $"such that ImageSize ({ImageSize}) is a multiple of 2^depth and leaves at least 2 × 2 pixels at the bottleneck"));
        }

        if (DiscriminatorBaseWidth is < 1 or > 1024)
        {
            yield return Invalid(nameof(DiscriminatorBaseWidth), DiscriminatorBaseWidth, "in [1, 1024]");
        }

        if (DiscriminatorLayers is < 1 or > 8)
        {
            yield return Invalid(nameof(DiscriminatorLayers), DiscriminatorLayers, "in [1, 8]");
        }

        if (!Enum.IsDefined(Discriminator))
        {
            yield return Invalid(nameof(Discriminator), Discriminator, "Cropped or FullyConvolutional");
        }

        if (!(GlobalDiscriminatorWeight is >= 0 and <= 1000))
        {
            yield return Invalid(nameof(GlobalDiscriminatorWeight), GlobalDiscriminatorWeight, "in [0, 1000]");
        }

        if (!Enum.IsDefined(Ranking))
        {
            yield return Invalid(nameof(Ranking), Ranking, "None, TopK or Learned");
        }

        if (!(RankingFraction is > 0 and <= 1))
        {
            yield return Invalid(nameof(RankingFraction), RankingFraction, "in (0, 1]");
        }

        if (!(RankingWeight is >= 1 and <= 1000))
        {
            yield return Invalid(nameof(RankingWeight), RankingWeight, "in [1, 1000]");
        }

        if (!(RankingTemperature is >= 0.01 and <= 100))
        {
            yield return Invalid(nameof(RankingTemperature), RankingTemperature, "in [0.01, 100]");
        }

        if (RankingHeadWidth is < 1 or > 1024)
        {
            yield return Invalid(nameof(RankingHeadWidth), RankingHeadWidth, "in [1, 1024]");
        }

        if (!(ReconstructionWeight is >= 0 and <= 1e6))
        {
            yield return Invalid(nameof(ReconstructionWeight), ReconstructionWeight, "in [0, 1e6]");
        }

        if (!(AdversarialWeight is >= 0 and <= 1e6))
        {
            yield return Invalid(nameof(AdversarialWeight), AdversarialWeight, "in [0, 1e6]");
        }

        if (ReconstructionWeight == 0 && AdversarialWeight == 0)
        {
            yield return "ReconstructionWeight and AdversarialWeight must not both be 0 (the reconstructor would not learn)";
        }

        if (!(MaskedPixelWeight is >= 0 and <= 1000))
        {
            yield return Invalid(nameof(MaskedPixelWeight), MaskedPixelWeight, "in [0, 1000]");
        }

        foreach (var error in TrainingLengthErrors(Epochs, MaxSteps))
        {
            yield return error;
        }

        if (!(ScoreFusionAlpha is >= 0 and <= 1))
        {
            yield return Invalid(nameof(ScoreFusionAlpha), ScoreFusionAlpha, "in [0, 1]");
        }

        if (!Enum.IsDefined(ImageScore))
        {
            yield return Invalid(nameof(ImageScore), ImageScore, "Patches or Map");
        }
    }

    /// <summary>Checks that depend on a valid patch grid: the test masks and the discriminator's fit.</summary>
    private IEnumerable<string> ValidateGrid()
    {
        var grid = GridSize;
        var (blockRows, blockColumns) = TestMaskCount >= 1 ? PatchMasks.Tile(TestMaskCount) : (0, 0);
        if (TestMaskCount < 2 || blockRows > grid || blockColumns > grid)
        {
            yield return Invalid(nameof(TestMaskCount), TestMaskCount,
                string.Create(CultureInfo.InvariantCulture, $"at least 2, with a tiling block (a × b, a·b = count) that fits the {grid} × {grid} patch grid"));
        }

        if (DiscriminatorLayers is >= 1 and <= 8 && Discriminator == PatchDiscriminatorKind.Cropped
            && (PatchSize % (1 << DiscriminatorLayers) != 0 || PatchSize < 2 << DiscriminatorLayers))
        {
            yield return Invalid(nameof(DiscriminatorLayers), DiscriminatorLayers,
                string.Create(CultureInfo.InvariantCulture, $"such that PatchSize ({PatchSize}) is a multiple of 2^layers and leaves at least 2 × 2 pixels for the cropped discriminator"));
        }

        var fullyConvolutional = Discriminator == PatchDiscriminatorKind.FullyConvolutional || GlobalDiscriminatorWeight > 0;
        if (DiscriminatorLayers is >= 1 and <= 8 && fullyConvolutional && (ImageSize >> (DiscriminatorLayers - 1)) < 3)
        {
            yield return Invalid(nameof(DiscriminatorLayers), DiscriminatorLayers,
                string.Create(CultureInfo.InvariantCulture, $"small enough that ImageSize ({ImageSize}) leaves a logit map for the fully convolutional (or global) discriminator"));
        }
    }

    private static int[] Ladder(int baseWidth, int count)
    {
        var widths = new int[count];
        for (var i = 0; i < count; i++)
        {
            widths[i] = baseWidth * (1 << Math.Min(i, 3));
        }

        return widths;
    }
}
