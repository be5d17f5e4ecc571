using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.Metrics;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using TorchSharp;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>
/// SAGAN's training loop, as in the authors' code. Every iteration updates the WGAN-GP critic on labelled normal images
/// (real) against restored unlabeled images (fake); every <see cref="SaganOptions.CriticSteps"/>-th iteration also
/// updates the generator with the adversarial loss on unlabeled images, the L1 identity loss on normal images and the
/// MSE restoration loss on pseudo-anomalous normal images. Both networks use Adam with a constant learning rate.
/// </summary>
/// <remarks>
/// <para>Every random draw of iteration i (batch images, pseudo-anomalies, mixing masks, penalty interpolation) comes
/// from a source derived from the seed and i, and the data order of each epoch from one derived from the seed and the
/// epoch, so a run resumed from a checkpoint continues exactly as an uninterrupted one.</para>
/// <para>Normal images are drawn in a fresh random order each epoch, whole batches only (the reference drops the last
/// partial batch); unlabeled images in their own random order, cycled when the pool differs in size.</para>
/// <para>Both networks live on the context's device; each iteration's inputs are drawn on the CPU and moved there once.
/// The generator is the detector's, trained in place; disposing the trainer frees the critic, the optimisers and the
/// weight average. Core's <see cref="TrainingLoop"/> runs the iterations (its steps), validation, early stopping, selection and
/// checkpoints.</para>
/// </remarks>
internal sealed class SaganTrainer : IDisposable
{
    /// <summary>The checkpoint's file name inside <see cref="DetectorOptions.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "sagan.checkpoint.safetensors";

    private const string CheckpointFormat = "sagan-checkpoint-2";
    private const string GeneratorPrefix = "generator.";
    private const string CriticPrefix = "critic.";
    private const string GeneratorOptimizerPrefix = "generator_optimizer.";
    private const string CriticOptimizerPrefix = "critic_optimizer.";
    private const long IterationStream = 1;
    private const long NormalOrderStream = 2;
    private const long UnlabeledOrderStream = 3;

    private readonly SaganOptions _options;
    private readonly TrainingContext _context;
    private readonly torch.Device _device;
    private readonly TrainingImageSet _unlabeled;
    private readonly TrainingImageSet? _heldOutPool;
    private readonly PseudoAnomalySynthesizer _synthesizer;
    private readonly AdamOptimizer _generatorOptimizer;
    private readonly AdamOptimizer _criticOptimizer;
    private readonly ExponentialWeightAverage? _average;
    private readonly int _batchSize;
    private readonly int _iterationsPerEpoch;
    private readonly string _fingerprint;
    private int[] _normalOrder = [];
    private int[] _unlabeledOrder = [];
    private long _orderEpoch = -1;

    /// <summary>Resets <paramref name="generator"/> to the seed's initial weights and builds a fresh critic and the optimisers.</summary>
    /// <param name="generator">The detector's generator, on the context's device; trained in place.</param>
    /// <param name="options">The settings.</param>
    /// <param name="context">The training data, random source, device and logger.</param>
    public SaganTrainer(SaganGenerator generator, SaganOptions options, TrainingContext context)
    {
        _options = options;
        _context = context;
        _device = context.Device;
        Generator = generator;

        // Drawn from the run's source before the critic, as a generator built here would be, so every Fit starts alike.
        using (var initial = new SaganGenerator(options.Channels, options.ConvDim, options.RepeatNum, context.Random))
        using (torch.NewDisposeScope())
        {
            StateDicts.LoadStrict(Generator, StateDicts.Export(initial), "the initial generator");
        }

        Critic = new WassersteinCritic(options.Channels, options.ConvDim, options.CriticRepeatNum, context.Random, options.CriticNegativeSlope);
        Critic.to(_device);
        _generatorOptimizer = new AdamOptimizer(Generator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        _criticOptimizer = new AdamOptimizer(Critic.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        _average = options.GeneratorAverageDecay > 0 ? new ExponentialWeightAverage(Generator, options.GeneratorAverageDecay) : null;
        _synthesizer = new PseudoAnomalySynthesizer(options.ImageSize);
        (_unlabeled, _heldOutPool) = SplitPool(options, context);
        if (context.Unlabeled is null)
        {
            SaganLog.NoUnlabeledPool(context.Logger);
        }

        _batchSize = Math.Min(options.BatchSize, context.Normal.Count);
        if (_batchSize < options.BatchSize)
        {
            SaganLog.BatchLargerThanData(context.Logger, options.BatchSize, context.Normal.Count);
        }

        _iterationsPerEpoch = context.Normal.Count / _batchSize;
        _fingerprint = Fingerprint(options, context.Normal.Count, _unlabeled.Count, context.Validation.Count);
    }

    /// <summary>The generator being trained; after <see cref="Run"/>, holding the weights kept (the last, averaged or best ones).</summary>
    public SaganGenerator Generator { get; }

    /// <summary>The critic being trained.</summary>
    public WassersteinCritic Critic { get; }

    /// <summary>Runs (or resumes) the training to <see cref="SaganOptions.MaxSteps"/> or an early stop.</summary>
    public TrainingSummary Run(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var loop = new TrainingLoop(_options.MaxSteps, _iterationsPerEpoch)
        {
            Checkpoints = CheckpointPlan.FromOptions(_options, CheckpointFileName, CheckpointFormat, _fingerprint, SaveState, RestoreState),
            Validation = ValidationPlan.FromOptions(_options, ValidationMetric, Generator, _average),
            Logger = _context.Logger,
        };
        Generator.train();
        Critic.train();
        try
        {
            return loop.Run(iteration =>
            {
                var losses = new Dictionary<string, double>(StringComparer.Ordinal);
                Step(iteration, losses);
                return losses;
            }, progress, cancellationToken);
        }
        finally
        {
            Generator.eval();
        }
    }

    /// <summary>Runs one iteration: a critic update and, every <see cref="SaganOptions.CriticSteps"/>-th time, a generator update.</summary>
    /// <param name="iteration">The iteration number, from 0; it selects the batch and every random draw.</param>
    /// <param name="losses">Receives the loss values of the updates made.</param>
    public void Step(long iteration, IDictionary<string, double> losses)
    {
        // Everything the iteration makes (inputs, activations, graphs) is freed at its end.
        using var scope = torch.NewDisposeScope();
        var updateGenerator = (iteration + 1) % _options.CriticSteps == 0;
        Update(DrawBatch(iteration, updateGenerator), losses);
    }

    /// <summary>Draws iteration <paramref name="iteration"/>'s images and random inputs on the CPU and moves them to the
    /// networks' device.</summary>
    /// <param name="iteration">The iteration number, from 0.</param>
    /// <param name="updateGenerator">Whether the iteration also updates the generator (and so needs its mixing mask).</param>
    public SaganBatch DrawBatch(long iteration, bool updateGenerator)
    {
        var random = new RandomSource(DeriveSeed(IterationStream, iteration));
        var (normalIndices, unlabeledIndices) = BatchIndices(iteration);
        var normal = _context.Normal.Batch(normalIndices, random);
        var unlabeled = _unlabeled.Batch(unlabeledIndices, random);
        var foreign = _context.Normal.Batch(ForeignIndices(normalIndices, random), random);
        var pseudoAnomalous = _synthesizer.Synthesize(normal, foreign, random);
        var b = normalIndices.Length;
        var alphaValues = new float[b];
        random.FillUniform(alphaValues, 0f, 1f);
        var alpha = TensorData.FromArray(alphaValues, b, 1, 1, 1);
        var criticMask = KeepMask(b, random);
        var batch = new SaganBatch(normal, unlabeled, pseudoAnomalous, alpha, criticMask, updateGenerator ? KeepMask(3 * b, random) : null, updateGenerator);
        return _device.type == DeviceType.CPU ? batch : batch.To(_device);
    }

    /// <summary>Updates the critic on a batch and then, when the batch asks for it, the generator.</summary>
    /// <param name="batch">The images and random inputs, on the networks' device.</param>
    /// <param name="losses">Receives the loss values of the updates made.</param>
    public void Update(SaganBatch batch, IDictionary<string, double> losses)
    {
        var b = batch.Normal.shape[0];
        Tensor fake;
        using (torch.no_grad())
        {
            // Only the restored images outlive the restoration: its activations are not needed by the critic step.
            fake = DisposeScopes.KeepResult(() => Generator.Restore(batch.Unlabeled, batch.CriticKeepMask));
        }

        var scores = Critic.forward(torch.cat([batch.Normal, fake], 0));
        var realScore = scores.narrow(0, 0, b).mean();
        var fakeScore = scores.narrow(0, b, b).mean();
        var penalty = GradientPenalty.Compute(Critic.forward, batch.Normal, fake, batch.PenaltyAlpha);
        var criticLoss = (fakeScore - realScore).Plus(penalty.Times(_options.GradientPenaltyWeight));
        _criticOptimizer.ZeroGrad();
        criticLoss.backward();
        _criticOptimizer.Step();

        // One copy off the device for all of the update's loss values.
        var critic = Values(criticLoss, realScore - fakeScore, penalty);
        losses["critic"] = critic[0];
        losses["wasserstein_distance"] = critic[1];
        losses["gradient_penalty"] = critic[2];
        if (!batch.UpdateGenerator)
        {
            return;
        }

        // The critic only passes gradients through to the images here; freezing it skips its weight gradients.
        SetRequiresGrad(Critic, false);
        try
        {
            var restored = Generator.Restore(torch.cat([batch.Unlabeled, batch.Normal, batch.PseudoAnomalous], 0), batch.GeneratorKeepMask);
            var adversarial = -Critic.forward(restored.narrow(0, 0, b)).mean();
            var identity = functional.l1_loss(restored.narrow(0, b, b), batch.Normal);
            var restoration = functional.mse_loss(restored.narrow(0, 2 * b, b), batch.Normal);
            var generatorLoss = adversarial.Plus(identity.Times(_options.IdentityWeight)).Plus(restoration.Times(_options.RestorationWeight));
            _generatorOptimizer.ZeroGrad();
            generatorLoss.backward();
            _generatorOptimizer.Step();
            _average?.Update();
            var generator = Values(generatorLoss, adversarial, identity, restoration);
            losses["generator"] = generator[0];
            losses["adversarial"] = generator[1];
            losses["identity"] = generator[2];
            losses["restoration"] = generator[3];
        }
        finally
        {
            SetRequiresGrad(Critic, true);
        }
    }

    /// <summary>
    /// The validation metric of the generator's current weights (the loop swaps the averaged ones in when there is an
    /// average), deterministic: with a held-out pool 1 − AUROC of the validation images (normal) against the held-out
    /// pool images, each scored by its mean |x − G(x)|; otherwise the validation images' mean score mean|x − G(x)|/2.
    /// </summary>
    public double ValidationMetric()
    {
        if (_heldOutPool is null)
        {
            return ValidationError.Mean(Generator, _context, _options.BatchSize, RestorationError) / 2;
        }

        var normal = ValidationError.PerImage(Generator, _context.Validation, _device, _options.BatchSize, RestorationError);
        var pool = ValidationError.PerImage(Generator, _heldOutPool, _device, _options.BatchSize, RestorationError);
        return 1 - BinaryScoreMetrics.SeparationAuroc(normal, pool);
    }

    /// <summary>The pool to train on and, with <see cref="SaganOptions.PoolValidationFraction"/>, the part of it held out.</summary>
    /// <exception cref="InvalidDatasetException">A fraction is set but there is no pool, or it holds out fewer than 2 images or all of them.</exception>
    private static (TrainingImageSet Train, TrainingImageSet? HeldOut) SplitPool(SaganOptions options, TrainingContext context)
    {
        var fraction = options.PoolValidationFraction;
        if (fraction == 0)
        {
            return (context.Unlabeled ?? context.Normal, null);
        }

        if (context.Unlabeled is not { } pool)
        {
            throw new InvalidDatasetException(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(SaganOptions.PoolValidationFraction)} {fraction} validates on held-out pool images, but no unlabeled pool was given (pass TrainingData.Unlabeled, or set it to 0)."));
        }

        var held = ValidationSplit.HeldCount(pool.Count, fraction);
        if (held < 2 || held >= pool.Count)
        {
            throw new InvalidDatasetException(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(SaganOptions.PoolValidationFraction)} {fraction} of the pool's {pool.Count} image(s) holds out {held}; validation needs at least 2 pool images and training at least 1."));
        }

        SaganLog.PoolHeldOut(context.Logger, held, pool.Count);
        return pool.HoldOut(fraction, options.Seed);
    }

    private Tensor RestorationError(Tensor batch) => RestorationResidual.Of(batch, Generator.Restore(batch), _options.ResidualPolarity);

    /// <inheritdoc/>
    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _average?.Dispose();
        Critic.Dispose();
    }

    /// <summary>Both networks and both Adam states; every random draw derives from the seed and the iteration, so
    /// these and the loop's own state are all that resuming bit for bit needs.</summary>
    private void SaveState(TrainingCheckpoint checkpoint)
    {
        checkpoint.AddTensors(GeneratorPrefix, StateDicts.Export(Generator));
        checkpoint.AddTensors(CriticPrefix, StateDicts.Export(Critic));
        checkpoint.AddOptimizer(GeneratorOptimizerPrefix, _generatorOptimizer);
        checkpoint.AddOptimizer(CriticOptimizerPrefix, _criticOptimizer);
    }

    private void RestoreState(TrainingCheckpoint checkpoint)
    {
        StateDicts.LoadStrict(Generator, checkpoint.Tensors(GeneratorPrefix), "the checkpoint's generator");
        StateDicts.LoadStrict(Critic, checkpoint.Tensors(CriticPrefix), "the checkpoint's critic");
        checkpoint.RestoreOptimizer(GeneratorOptimizerPrefix, _generatorOptimizer);
        checkpoint.RestoreOptimizer(CriticOptimizerPrefix, _criticOptimizer);
    }

    private (int[] Normal, int[] Unlabeled) BatchIndices(long iteration)
    {
        var epoch = iteration / _iterationsPerEpoch;
        if (epoch != _orderEpoch)
        {
            _normalOrder = Enumerable.Range(0, _context.Normal.Count).ToArray();
            new RandomSource(DeriveSeed(NormalOrderStream, epoch)).Shuffle(_normalOrder.AsSpan());
            _unlabeledOrder = Enumerable.Range(0, _unlabeled.Count).ToArray();
            new RandomSource(DeriveSeed(UnlabeledOrderStream, epoch)).Shuffle(_unlabeledOrder.AsSpan());
            _orderEpoch = epoch;
        }

        var start = (int)(iteration % _iterationsPerEpoch) * _batchSize;
        var normal = _normalOrder.AsSpan(start, _batchSize).ToArray();
        var unlabeled = new int[_batchSize];
        for (var i = 0; i < unlabeled.Length; i++)
        {
            unlabeled[i] = _unlabeledOrder[(start + i) % _unlabeledOrder.Length];
        }

        return (normal, unlabeled);
    }

    /// <summary>For each batch image, another normal image (never itself) whose patch it receives.</summary>
    private int[] ForeignIndices(int[] indices, RandomSource random)
    {
        var count = _context.Normal.Count;
        var foreign = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            // With a single image there is no other; it then blends with itself, which leaves it unchanged.
            var j = count > 1 ? random.NextInt(0, count - 1) : 0;
            foreign[i] = count > 1 && j >= indices[i] ? j + 1 : j;
        }

        return foreign;
    }

    private static void SetRequiresGrad(Module module, bool value)
    {
        foreach (var parameter in module.parameters())
        {
            parameter.requires_grad = value;
        }
    }

    /// <summary>Scalar tensors' values, copied off the device at once.</summary>
    private static float[] Values(params Tensor[] scalars)
    {
        using var scope = torch.NewDisposeScope();
        return TensorData.ToArray(torch.stack(scalars.Select(t => t.detach().reshape(1)).ToArray()));
    }

    private Tensor? KeepMask(int images, RandomSource random) =>
        _options.TrainingMixProbability > 0
            ? SaganGenerator.SampleKeepMask(images, _options.ImageSize, _options.ImageSize, _options.TrainingMixProbability, random)
            : null;

    /// <summary>A seed for one stream of draws, mixed (MurmurHash3's finaliser) so that neighbouring streams are unrelated.</summary>
    private long DeriveSeed(long stream, long index)
    {
        var x = unchecked((ulong)_options.Seed + ((ulong)stream * 0xD1B54A32D192ED03UL) + ((ulong)index * 0x9E3779B97F4A7C15UL));
        x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDUL;
        x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return unchecked((long)(x ^ (x >> 33)));
    }

    // A held-out pool share, a one-sided residual (both change the validation metric) and another critic slope join the
    // fingerprint only when set, so checkpoints written before the options existed still resume.
    private static string Fingerprint(SaganOptions o, int normal, int unlabeled, int validation)
    {
        var fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"size={o.ImageSize};channels={o.Channels};conv={o.ConvDim};repeat={o.RepeatNum};critic={o.CriticRepeatNum};seed={o.Seed};batch={o.BatchSize};criticSteps={o.CriticSteps};" +
            $"gp={o.GradientPenaltyWeight:R};identity={o.IdentityWeight:R};restoration={o.RestorationWeight:R};lr={o.LearningRate:R};beta1={o.Beta1:R};beta2={o.Beta2:R};mix={o.TrainingMixProbability:R};average={o.GeneratorAverageDecay:R};" +
            $"normal={normal};unlabeled={unlabeled};validation={validation}");
        if (o.PoolValidationFraction > 0)
        {
            fingerprint += string.Create(CultureInfo.InvariantCulture, $";poolValidation={o.PoolValidationFraction:R}");
        }

        if (o.CriticNegativeSlope != SaganOptions.AuthorsCriticNegativeSlope)
        {
            fingerprint += string.Create(CultureInfo.InvariantCulture, $";criticSlope={o.CriticNegativeSlope:R}");
        }

        return o.ResidualPolarity == ResidualPolarity.Absolute ? fingerprint : fingerprint + $";polarity={o.ResidualPolarity}";
    }
}
