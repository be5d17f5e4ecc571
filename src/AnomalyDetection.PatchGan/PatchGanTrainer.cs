using System.Globalization;
using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn.functional;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The Patch-GAN training loop. Each step hides random patches of a batch of normal images, reconstructs the whole
/// image, then updates the discriminator (real patches → 1, reconstructed patches → 0) and the reconstructor
/// (λ_rec·weighted L1 + λ_adv·reconstructed patches → 1), with both adversarial losses weighted per patch by the ranking.
/// </summary>
internal sealed class PatchGanTrainer : IDisposable
{
    /// <summary>The checkpoint's file name inside <see cref="DetectorOptions.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "patchgan.checkpoint.safetensors";

    // Version 2 adds the shared loop's validation state (best step and weights, stale validations).
    private const string CheckpointFormat = "patchgan-checkpoint-2";
    private const string NetworkPrefix = "network.";
    private const string ReconstructorOptimizerPrefix = "reconstructor_optimizer.";
    private const string DiscriminatorOptimizerPrefix = "discriminator_optimizer.";
    private const string RankingOptimizerPrefix = "ranking_optimizer.";

    private readonly PatchGanNetwork _network;
    private readonly PatchGanOptions _options;
    private readonly AdamOptimizer _reconstructorOptimizer;
    private readonly AdamOptimizer _discriminatorOptimizer;
    private readonly AdamOptimizer? _rankingOptimizer;

    public PatchGanTrainer(PatchGanNetwork network, PatchGanOptions options)
    {
        _network = network;
        _options = options;
        _reconstructorOptimizer = NewAdam(network.Reconstructor.parameters());
        var discriminators = network.Discriminator.parameters();
        if (network.GlobalDiscriminator is { } global)
        {
            discriminators = discriminators.Concat(global.parameters());
        }

        _discriminatorOptimizer = NewAdam(discriminators);
        if (network.RankingHead is { } head)
        {
            _rankingOptimizer = NewAdam(head.parameters());
        }
    }

    /// <summary>
    /// Trains (or resumes from <see cref="DetectorOptions.CheckpointDirectory"/>) for the configured steps, then fits the
    /// patch-score statistics on the training images.
    /// </summary>
    public TrainingSummary Run(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var batches = new ShuffledBatches(context, _options.BatchSize);
        var loop = new TrainingLoop(batches.TotalSteps(_options.Epochs, _options.MaxSteps), batches.StepsPerEpoch)
        {
            Checkpoints = CheckpointPlan.FromOptions(_options, CheckpointFileName, CheckpointFormat, Fingerprint(_options, context),
                checkpoint => SaveState(checkpoint, batches), checkpoint => RestoreState(checkpoint, batches)),
            Validation = ValidationPlan.FromOptions(_options, () => ValidationMetric(context), _network),
            Logger = context.Logger,
        };
        _network.train();
        TrainingSummary summary;
        try
        {
            summary = loop.Run(step => Step(batches.Next(step), batches.Random), progress, cancellationToken);
        }
        finally
        {
            // However the loop ended, the discriminators are trainable again and the networks in evaluation mode.
            SetDiscriminatorsTrainable(true);
            _network.eval();
        }

        FitStatistics(context.Normal, context.Device, cancellationToken);
        return summary;
    }

    public void Dispose()
    {
        _reconstructorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _rankingOptimizer?.Dispose();
    }

    /// <summary>The networks, the optimisers and the batches' order.</summary>
    private void SaveState(TrainingCheckpoint checkpoint, ShuffledBatches batches)
    {
        batches.Save(checkpoint);
        checkpoint.AddTensors(NetworkPrefix, StateDicts.Export(_network));
        checkpoint.AddOptimizer(ReconstructorOptimizerPrefix, _reconstructorOptimizer);
        checkpoint.AddOptimizer(DiscriminatorOptimizerPrefix, _discriminatorOptimizer);
        if (_rankingOptimizer is not null)
        {
            checkpoint.AddOptimizer(RankingOptimizerPrefix, _rankingOptimizer);
        }
    }

    private void RestoreState(TrainingCheckpoint checkpoint, ShuffledBatches batches)
    {
        batches.Restore(checkpoint);
        StateDicts.LoadStrict(_network, checkpoint.Tensors(NetworkPrefix), "the checkpoint's Patch-GAN networks");
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

    /// <summary>The validation metric: the mean absolute error of the test-time reconstruction (through the
    /// complementary masks when masking) of the validation images.</summary>
    private double ValidationMetric(TrainingContext context) =>
        ValidationError.Mean(_network, context, _options.BatchSize, batch => (batch - _network.Reconstruct(batch)).abs());

    /// <summary>One discriminator update and one reconstructor (and ranking head) update on a batch.</summary>
    /// <remarks>Runs inside the loop's dispose scope; the masks come from <paramref name="random"/> on the CPU and move to
    /// the batch's device once.</remarks>
    private IReadOnlyDictionary<string, double> Step(Tensor images, RandomSource random)
    {
        var o = _options;
        Tensor? hidden = null;
        var input = images;
        if (o.UseMasking)
        {
            var grid = o.GridSize;
            var masks = PatchMasks.Random(random, checked((int)images.shape[0]), grid, grid, o.MaskRatioMin, o.MaskRatioMax);
            hidden = PatchGrid.ToPixels(masks.to(images.device), o.PatchSize);
            input = images * hidden.SubtractedFrom(1);
        }

        var reconstruction = _network.Reconstructor.forward(input);
        var losses = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["discriminator"] = UpdateDiscriminators(images, reconstruction.detach()),
        };
        UpdateReconstructor(images, reconstruction, hidden, losses);
        return losses;
    }

    private double UpdateDiscriminators(Tensor images, Tensor fake)
    {
        SetDiscriminatorsTrainable(true);
        var realLogits = _network.Discriminator.forward(images);
        var fakeLogits = _network.Discriminator.forward(fake);
        Tensor weights;
        using (torch.no_grad())
        {
            weights = RankingWeights(images, fake, fakeLogits.detach());
        }

        var perPatch = binary_cross_entropy_with_logits(realLogits, torch.ones_like(realLogits), reduction: torch.nn.Reduction.None)
            .Plus(binary_cross_entropy_with_logits(fakeLogits, torch.zeros_like(fakeLogits), reduction: torch.nn.Reduction.None));
        var loss = Weighted(perPatch, weights);
        if (_network.GlobalDiscriminator is { } global)
        {
            var realImages = global.forward(images);
            var fakeImages = global.forward(fake);
            var imageLoss = binary_cross_entropy_with_logits(realImages, torch.ones_like(realImages))
                .Plus(binary_cross_entropy_with_logits(fakeImages, torch.zeros_like(fakeImages)));
            loss = loss.Plus(imageLoss.Times((float)_options.GlobalDiscriminatorWeight));
        }

        _discriminatorOptimizer.ZeroGrad();
        loss.backward();
        _discriminatorOptimizer.Step();
        return loss.item<float>();
    }

    private void UpdateReconstructor(Tensor images, Tensor reconstruction, Tensor? hidden, Dictionary<string, double> losses)
    {
        var o = _options;

        // The discriminators only pass gradients through to the reconstruction here.
        SetDiscriminatorsTrainable(false);
        var logits = _network.Discriminator.forward(reconstruction);
        var perPatch = binary_cross_entropy_with_logits(logits, torch.ones_like(logits), reduction: torch.nn.Reduction.None);
        Tensor weights;
        Tensor? headWeights = null;
        if (_network.RankingHead is { } head)
        {
            // Recorded for the head's own update below; the reconstructor sees them as constants.
            headWeights = head.forward(RankingEvidence(images, reconstruction.detach(), logits.detach()));
            weights = headWeights.detach();
        }
        else
        {
            using (torch.no_grad())
            {
                weights = RankingWeights(images, reconstruction.detach(), logits.detach());
            }
        }

        var adversarial = Weighted(perPatch, weights);
        var l1 = ReconstructionLoss(images, reconstruction, hidden);
        var loss = l1.Times((float)o.ReconstructionWeight).Plus(adversarial.Times((float)o.AdversarialWeight));
        if (_network.GlobalDiscriminator is { } global)
        {
            var imageLogits = global.forward(reconstruction);
            var imageLoss = binary_cross_entropy_with_logits(imageLogits, torch.ones_like(imageLogits));
            loss = loss.Plus(imageLoss.Times((float)o.GlobalDiscriminatorWeight));
            losses["global"] = imageLoss.item<float>();
        }

        _reconstructorOptimizer.ZeroGrad();
        loss.backward();
        _reconstructorOptimizer.Step();
        losses["reconstruction"] = l1.item<float>();
        losses["adversarial"] = adversarial.item<float>();
        losses["reconstructor"] = loss.item<float>();

        if (headWeights is not null)
        {
            // The head is the reconstructor's adversary: it moves weight towards the patches that still look fake.
            var rankingLoss = -Weighted(perPatch.detach(), headWeights);
            _rankingOptimizer!.ZeroGrad();
            rankingLoss.backward();
            _rankingOptimizer.Step();
            losses["ranking"] = rankingLoss.item<float>();
        }
    }

    /// <summary>The L1 error averaged with hidden pixels weighing <see cref="PatchGanOptions.MaskedPixelWeight"/>.</summary>
    private Tensor ReconstructionLoss(Tensor images, Tensor reconstruction, Tensor? hidden)
    {
        var errors = (images - reconstruction).abs();
        if (hidden is null)
        {
            return errors.mean();
        }

        // The weights are per pixel (N, 1, H, W) and count once per channel.
        var pixelWeights = hidden.Times((float)(_options.MaskedPixelWeight - 1)).Plus(1);
        return (errors * pixelWeights).sum() / pixelWeights.sum().Times(images.shape[1]);
    }

    /// <summary>Fixed ranking weights, or (for the learned head) its current weights without gradient.</summary>
    private Tensor RankingWeights(Tensor images, Tensor reconstruction, Tensor logits) => _options.Ranking switch
    {
        PatchRanking.TopK => PatchRankingWeights.TopK((-logits).sigmoid(), _options.RankingFraction, _options.RankingWeight),
        PatchRanking.Learned => _network.RankingHead!.forward(RankingEvidence(images, reconstruction, logits)),
        _ => torch.ones_like(logits),
    };

    /// <summary>Each patch's abnormality σ(−logit) and reconstruction error, stacked as two channels (N, 2, R, K).</summary>
    private Tensor RankingEvidence(Tensor images, Tensor reconstruction, Tensor logits)
    {
        var errors = PatchGrid.Means((images - reconstruction).abs().mean([1L], keepdim: true), _options.PatchSize);
        return torch.cat([(-logits).sigmoid(), errors], 1);
    }

    /// <summary>Σ w·loss / Σ w over every patch of the batch.</summary>
    private static Tensor Weighted(Tensor perPatch, Tensor weights) => (perPatch * weights).sum() / weights.sum();

    private void SetDiscriminatorsTrainable(bool trainable)
    {
        var parameters = _network.Discriminator.parameters();
        if (_network.GlobalDiscriminator is { } global)
        {
            parameters = parameters.Concat(global.parameters());
        }

        foreach (var parameter in parameters)
        {
            parameter.requires_grad = trainable;
        }
    }

    /// <summary>Pools both patch terms over every patch of every (unaugmented) training image.</summary>
    private void FitStatistics(TrainingImageSet images, torch.Device device, CancellationToken cancellationToken)
    {
        var errors = new List<float>();
        var fakes = new List<float>();
        using var all = images.All();
        using var noGrad = torch.no_grad();
        for (var start = 0; start < images.Count; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var batch = all.narrow(0, start, Math.Min(_options.BatchSize, images.Count - start)).to(device);
            var (_, patchErrors, fake) = _network.Evidence(batch, _network.Reconstruct(batch));
            errors.AddRange(TensorData.ToArray(patchErrors));
            fakes.AddRange(TensorData.ToArray(fake));
        }

        _network.Statistics.Fit(errors, fakes);
    }

    private AdamOptimizer NewAdam(IEnumerable<Parameter> parameters) =>
        new(parameters, _options.LearningRate, _options.Beta1, _options.Beta2);
}
