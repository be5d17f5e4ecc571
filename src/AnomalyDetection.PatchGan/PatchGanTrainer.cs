using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The Patch-GAN training loop. Each step hides random patches of a batch of normal images, reconstructs the whole
/// image, then updates the discriminator (real patches → 1, reconstructed patches → 0) and the reconstructor
/// (λ_rec·weighted L1 + λ_adv·reconstructed patches → 1), with both adversarial losses weighted per patch by the ranking.
/// </summary>
internal sealed class PatchGanTrainer
{
    /// <summary>The checkpoint's file name inside <see cref="PatchGanOptions.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "patchgan.checkpoint.safetensors";

    private const string CheckpointFormat = "patchgan-checkpoint-1";
    private const string NetworkPrefix = "network.";
    private const string ReconstructorOptimizerPrefix = "reconstructor_optimizer.";
    private const string DiscriminatorOptimizerPrefix = "discriminator_optimizer.";
    private const string RankingOptimizerPrefix = "ranking_optimizer.";

    private readonly PatchGanNetwork _network;
    private readonly PatchGanOptions _options;
    private readonly Adam _reconstructorOptimizer;
    private readonly Adam _discriminatorOptimizer;
    private readonly Adam? _rankingOptimizer;

    public PatchGanTrainer(PatchGanNetwork network, PatchGanOptions options)
    {
        _network = network;
        _options = options;
        _reconstructorOptimizer = NewAdam(network.Reconstructor.Parameters());
        var discriminators = network.Discriminator.Parameters();
        if (network.GlobalDiscriminator is { } global)
        {
            discriminators = discriminators.Concat(global.Parameters());
        }

        _discriminatorOptimizer = NewAdam(discriminators);
        if (network.RankingHead is { } head)
        {
            _rankingOptimizer = NewAdam(head.Parameters());
        }
    }

    /// <summary>
    /// Trains (or resumes from <see cref="PatchGanOptions.CheckpointDirectory"/>) for the configured steps, then fits the
    /// patch-score statistics on the training images.
    /// </summary>
    public TrainingSummary Run(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var loop = new BatchTrainingLoop(_options.BatchSize, _options.Epochs, _options.MaxSteps)
        {
            Checkpoints = _options.CheckpointDirectory is { } folder
                ? new CheckpointPlan(Path.Combine(folder, CheckpointFileName), _options.CheckpointInterval, CheckpointFormat, Fingerprint(_options, context), SaveState, RestoreState)
                : null,
        };
        _network.Train();
        var summary = loop.Run(context, Step, progress, cancellationToken);
        _network.Eval();
        FitStatistics(context.Normal, cancellationToken);
        return summary;
    }

    /// <summary>The networks and the optimisers.</summary>
    private void SaveState(TrainingCheckpoint checkpoint)
    {
        checkpoint.AddTensors(NetworkPrefix, _network.StateDict());
        checkpoint.AddOptimizer(ReconstructorOptimizerPrefix, _reconstructorOptimizer);
        checkpoint.AddOptimizer(DiscriminatorOptimizerPrefix, _discriminatorOptimizer);
        if (_rankingOptimizer is not null)
        {
            checkpoint.AddOptimizer(RankingOptimizerPrefix, _rankingOptimizer);
        }
    }

    private void RestoreState(TrainingCheckpoint checkpoint)
    {
        _network.LoadStateDict(checkpoint.Tensors(NetworkPrefix));
        checkpoint.RestoreOptimizer(ReconstructorOptimizerPrefix, _reconstructorOptimizer);
        checkpoint.RestoreOptimizer(DiscriminatorOptimizerPrefix, _discriminatorOptimizer);
        if (_rankingOptimizer is not null)
        {
            checkpoint.RestoreOptimizer(RankingOptimizerPrefix, _rankingOptimizer);
        }
    }

    /// <summary>Every setting that shapes the training sequence, and the data's sizes; the step count is left out so
    /// that a run can be resumed with more steps.</summary>
    private static string Fingerprint(PatchGanOptions o, TrainingContext context) => string.Create(CultureInfo.InvariantCulture,
        $"size={o.ImageSize};channels={o.Channels};seed={o.Seed};batch={o.BatchSize};patch={o.PatchSize};masking={o.UseMasking};" +
        $"maskMin={o.MaskRatioMin:R};maskMax={o.MaskRatioMax:R};reconstructor={o.ReconstructorBaseWidth}x{o.ReconstructorDepth};attention={o.ReconstructorAttention};" +
        $"discriminator={o.Discriminator}:{o.DiscriminatorBaseWidth}x{o.DiscriminatorLayers};global={o.GlobalDiscriminatorWeight:R};" +
        $"ranking={o.Ranking}:{o.RankingFraction:R}:{o.RankingWeight:R}:{o.RankingTemperature:R}:{o.RankingHeadWidth};" +
        $"reconstruction={o.ReconstructionWeight:R};adversarial={o.AdversarialWeight:R};maskedPixel={o.MaskedPixelWeight:R};" +
        $"lr={o.LearningRate:R};beta1={o.Beta1:R};beta2={o.Beta2:R};normal={context.Normal.Count};validation={context.Validation.Count}");

    /// <summary>One discriminator update and one reconstructor (and ranking head) update on a batch.</summary>
    private IReadOnlyDictionary<string, double> Step(Tensor images, RandomSource random)
    {
        var o = _options;
        Tensor? hidden = null;
        var input = images;
        if (o.UseMasking)
        {
            var grid = o.GridSize;
            hidden = PatchGrid.ToPixels(PatchMasks.Random(random, images.Size(0), grid, grid, o.MaskRatioMin, o.MaskRatioMax), o.PatchSize);
            input = images * (1f - hidden);
        }

        var reconstruction = _network.Reconstructor.Forward(input);
        var losses = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["discriminator"] = UpdateDiscriminators(images, reconstruction.Detach()),
        };
        UpdateReconstructor(images, reconstruction, hidden, losses);
        return losses;
    }

    private double UpdateDiscriminators(Tensor images, Tensor fake)
    {
        SetDiscriminatorsTrainable(true);
        var realLogits = _network.Discriminator.Forward(images);
        var fakeLogits = _network.Discriminator.Forward(fake);
        Tensor weights;
        using (GradMode.NoGrad())
        {
            weights = RankingWeights(images, fake, fakeLogits);
        }

        var perPatch = Functional.BinaryCrossEntropyWithLogits(realLogits, Tensor.Scalar(1f), Reduction.None)
            + Functional.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.Scalar(0f), Reduction.None);
        var loss = Weighted(perPatch, weights);
        if (_network.GlobalDiscriminator is { } global)
        {
            var imageLoss = Functional.BinaryCrossEntropyWithLogits(global.Forward(images), Tensor.Scalar(1f))
                + Functional.BinaryCrossEntropyWithLogits(global.Forward(fake), Tensor.Scalar(0f));
            loss = loss + (imageLoss * (float)_options.GlobalDiscriminatorWeight);
        }

        _network.Discriminator.ZeroGrad();
        _network.GlobalDiscriminator?.ZeroGrad();
        loss.Backward();
        _discriminatorOptimizer.Step();
        return loss.ToScalar();
    }

    private void UpdateReconstructor(Tensor images, Tensor reconstruction, Tensor? hidden, Dictionary<string, double> losses)
    {
        var o = _options;

        // The discriminators only pass gradients through to the reconstruction here.
        SetDiscriminatorsTrainable(false);
        var logits = _network.Discriminator.Forward(reconstruction);
        var perPatch = Functional.BinaryCrossEntropyWithLogits(logits, Tensor.Scalar(1f), Reduction.None);
        Tensor weights;
        Tensor? headWeights = null;
        if (_network.RankingHead is { } head)
        {
            // Recorded for the head's own update below; the reconstructor sees them as constants.
            headWeights = head.Forward(RankingEvidence(images, reconstruction.Detach(), logits.Detach()));
            weights = headWeights.Detach();
        }
        else
        {
            using (GradMode.NoGrad())
            {
                weights = RankingWeights(images, reconstruction.Detach(), logits.Detach());
            }
        }

        var adversarial = Weighted(perPatch, weights);
        var l1 = ReconstructionLoss(images, reconstruction, hidden);
        var loss = (l1 * (float)o.ReconstructionWeight) + (adversarial * (float)o.AdversarialWeight);
        if (_network.GlobalDiscriminator is { } global)
        {
            var imageLoss = Functional.BinaryCrossEntropyWithLogits(global.Forward(reconstruction), Tensor.Scalar(1f));
            loss = loss + (imageLoss * (float)o.GlobalDiscriminatorWeight);
            losses["global"] = imageLoss.ToScalar();
        }

        _network.Reconstructor.ZeroGrad();
        loss.Backward();
        _reconstructorOptimizer.Step();
        losses["reconstruction"] = l1.ToScalar();
        losses["adversarial"] = adversarial.ToScalar();
        losses["reconstructor"] = loss.ToScalar();

        if (headWeights is not null)
        {
            // The head is the reconstructor's adversary: it moves weight towards the patches that still look fake.
            var rankingLoss = -Weighted(perPatch.Detach(), headWeights);
            _network.RankingHead!.ZeroGrad();
            rankingLoss.Backward();
            _rankingOptimizer!.Step();
            losses["ranking"] = rankingLoss.ToScalar();
        }
    }

    /// <summary>The L1 error averaged with hidden pixels weighing <see cref="PatchGanOptions.MaskedPixelWeight"/>.</summary>
    private Tensor ReconstructionLoss(Tensor images, Tensor reconstruction, Tensor? hidden)
    {
        var errors = (images - reconstruction).Abs();
        if (hidden is null)
        {
            return errors.Mean();
        }

        var pixelWeights = 1f + (hidden * (float)(_options.MaskedPixelWeight - 1));
        var totalWeight = pixelWeights.Sum().ToScalar() * images.Size(1);
        return (errors * pixelWeights).Sum() * (1f / totalWeight);
    }

    /// <summary>Fixed ranking weights, or (for the learned head) its current weights without gradient.</summary>
    private Tensor RankingWeights(Tensor images, Tensor reconstruction, Tensor logits) => _options.Ranking switch
    {
        PatchRanking.TopK => PatchRankingWeights.TopK((-logits).Sigmoid(), _options.RankingFraction, _options.RankingWeight),
        PatchRanking.Learned => _network.RankingHead!.Forward(RankingEvidence(images, reconstruction, logits)),
        _ => Tensor.OnesLike(logits),
    };

    /// <summary>Each patch's abnormality σ(−logit) and reconstruction error, stacked as two channels (N, 2, R, K).</summary>
    private Tensor RankingEvidence(Tensor images, Tensor reconstruction, Tensor logits)
    {
        var errors = PatchGrid.Means((images - reconstruction).Abs().Mean([1], keepDim: true), _options.PatchSize);
        return Tensor.Concat([(-logits).Sigmoid(), errors], 1);
    }

    /// <summary>Σ w·loss / Σ w over every patch of the batch.</summary>
    private static Tensor Weighted(Tensor perPatch, Tensor weights) => (perPatch * weights).Sum() / weights.Sum();

    private void SetDiscriminatorsTrainable(bool trainable)
    {
        _network.Discriminator.SetRequiresGrad(trainable);
        _network.GlobalDiscriminator?.SetRequiresGrad(trainable);
    }

    /// <summary>Pools both patch terms over every patch of every (unaugmented) training image.</summary>
    private void FitStatistics(TrainingImageSet images, CancellationToken cancellationToken)
    {
        var all = images.All();
        var errors = new List<float>();
        var fakes = new List<float>();
        using (GradMode.NoGrad())
        {
            for (var start = 0; start < images.Count; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = all.Slice(0, start, Math.Min(_options.BatchSize, images.Count - start));
                var (_, patchErrors, fake) = _network.Evidence(batch, _network.Reconstruct(batch));
                errors.AddRange(patchErrors.Span.ToArray());
                fakes.AddRange(fake.Span.ToArray());
            }
        }

        _network.Statistics.Fit(errors, fakes);
    }

    private Adam NewAdam(IEnumerable<Tensor> parameters) =>
        new(parameters, _options.LearningRate, _options.Beta1, _options.Beta2);
}
