using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;

namespace AnomalyDetection.Benchmarks.Detectors;

/// <summary>
/// Patch-GAN with its default networks and training (masked reconstruction, cropped 16-pixel patch discriminator,
/// top-k patch ranking), batch 32, 64 × 64.
/// </summary>
internal sealed class PatchGanBench : DetectorBench
{
    public override string Key => "patchgan";

    public override string TrainingLabel => "Patch-GAN training step (defaults), batch 32, 64²";

    public override string ScoringLabel => "Patch-GAN scoring (4 masked passes), batch 32, 64²";

    public override int BatchSize => Options(0).BatchSize;

    public override int ImageSize => Options(0).ImageSize;

    public override string TrainingSpec
    {
        get
        {
            var o = Checked(Options(0));
            return Spec("patchgan-step", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("patch", o.PatchSize),
                ("reconstructor", Ladder(o.ReconstructorBaseWidth, o.ReconstructorDepth)), ("discriminator", Ladder(o.DiscriminatorBaseWidth, o.DiscriminatorLayers)),
                ("mask_min", o.MaskRatioMin), ("mask_max", o.MaskRatioMax), ("rank_fraction", o.RankingFraction), ("rank_weight", o.RankingWeight),
                ("rec_weight", o.ReconstructionWeight), ("adv_weight", o.AdversarialWeight), ("masked_weight", o.MaskedPixelWeight),
                ("lr", o.LearningRate), ("beta1", o.Beta1), ("beta2", o.Beta2));
        }
    }

    public override string ScoringSpec
    {
        get
        {
            var o = Checked(Options(0));
            return Spec("patchgan-score", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("patch", o.PatchSize),
                ("reconstructor", Ladder(o.ReconstructorBaseWidth, o.ReconstructorDepth)), ("discriminator", Ladder(o.DiscriminatorBaseWidth, o.DiscriminatorLayers)),
                ("test_masks", o.TestMaskCount), ("alpha", o.ScoreFusionAlpha), ("top", o.ScoreTopFraction), ("sigma", o.MapSmoothingSigma));
        }
    }

    public override IAnomalyDetector CreateForTraining(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = UnreachedSteps;
        return new PatchGanDetector(options);
    }

    public override IAnomalyDetector CreateForScoring(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = 1;
        return new PatchGanDetector(options);
    }

    public override async Task<IAnomalyDetector> LoadAsync(string path) => await PatchGanDetector.LoadAsync(path).ConfigureAwait(false);

    private static PatchGanOptions Options(int threads) => new() { BatchSize = 32, ImageSize = 64, Threads = threads };

    /// <summary>The PyTorch twin implements the default configuration only.</summary>
    private static PatchGanOptions Checked(PatchGanOptions o) =>
        o is { UseMasking: true, Discriminator: PatchDiscriminatorKind.Cropped, Ranking: PatchRanking.TopK, ReconstructorAttention: false, GlobalDiscriminatorWeight: 0 }
            ? o
            : throw new NotSupportedException("The PyTorch twin of Patch-GAN covers masking, the cropped discriminator and top-k ranking without attention or a global discriminator.");
}
