using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
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
/// Disposing the trainer frees the critic and the optimisers; the generator belongs to whoever takes it.</para>
/// </remarks>
internal sealed class SaganTrainer : IDisposable
{
    private const long IterationStream = 1;
    private const long NormalOrderStream = 2;
    private const long UnlabeledOrderStream = 3;

    private readonly SaganOptions _options;
    private readonly TrainingContext _context;
    private readonly torch.Device _device;
    private readonly TrainingImageSet _unlabeled;
    private readonly PseudoAnomalySynthesizer _synthesizer;
    private readonly Adam _generatorOptimizer;
    private readonly Adam _criticOptimizer;
    private readonly ExponentialWeightAverage? _average;
    private readonly int _batchSize;
    private readonly int _iterationsPerEpoch;
    private readonly string _fingerprint;
    private int[] _normalOrder = [];
    private int[] _unlabeledOrder = [];
    private long _orderEpoch = -1;

    /// <summary>Builds freshly initialised networks and their optimisers.</summary>
    public SaganTrainer(SaganOptions options, TrainingContext context)
    {
        _options = options;
        _context = context;
        _device = context.Device;
        Generator = new SaganGenerator(options.Channels, options.ConvDim, options.RepeatNum, context.Random);
        Generator.to(_device);
        Critic = new WassersteinCritic(options.Channels, options.ConvDim, options.CriticRepeatNum, context.Random);
        Critic.to(_device);
        _generatorOptimizer = torch.optim.Adam(Generator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        _criticOptimizer = torch.optim.Adam(Critic.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        _average = options.GeneratorAverageDecay > 0 ? new ExponentialWeightAverage(Generator, options.GeneratorAverageDecay) : null;
        _synthesizer = new PseudoAnomalySynthesizer(options.ImageSize);
        if (context.Unlabeled is null)
        {
            SaganLog.NoUnlabeledPool(context.Logger);
        }

        _unlabeled = context.Unlabeled ?? context.Normal;
        _batchSize = Math.Min(options.BatchSize, context.Normal.Count);
        if (_batchSize < options.BatchSize)
        {
            SaganLog.BatchLargerThanData(context.Logger, options.BatchSize, context.Normal.Count);
        }

        _iterationsPerEpoch = context.Normal.Count / _batchSize;
        _fingerprint = Fingerprint(options, context.Normal.Count, _unlabeled.Count, context.Validation.Count);
    }

    /// <summary>The generator being trained; after <see cref="Run"/>, the one selected.</summary>
    public SaganGenerator Generator { get; }

    /// <summary>The critic being trained.</summary>
    public WassersteinCritic Critic { get; }

    /// <summary>Runs (or resumes) the training to <see cref="SaganOptions.Iterations"/> or an early stop.</summary>
    public TrainingSummary Run(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var checkpoint = _options.CheckpointDirectory is { } folder ? Path.Combine(folder, SaganCheckpoint.FileName) : null;
        var state = new SaganTrainingState();
        if (checkpoint is not null && File.Exists(checkpoint))
        {
            state = SaganCheckpoint.Load(checkpoint, _fingerprint, Generator, Critic, _generatorOptimizer, _criticOptimizer, _average);
            SaganLog.Resumed(_context.Logger, checkpoint, state.NextIteration);
        }

        Generator.train();
        Critic.train();
        var clock = new RemainingTimeEstimate(state.NextIteration);
        while (state.NextIteration < _options.Iterations && !state.StoppedEarly)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var iteration = state.NextIteration;
            Step(iteration, state.Losses);
            TrainingDivergedException.ThrowIfDiverged(iteration + 1, state.Losses);
            state.NextIteration = iteration + 1;
            var done = state.NextIteration;
            if (done % _options.ValidationInterval == 0 || done == _options.Iterations)
            {
                Validate(state);
            }

            if (checkpoint is not null && (done % _options.CheckpointInterval == 0 || done == _options.Iterations || state.StoppedEarly))
            {
                SaganCheckpoint.Save(checkpoint, _fingerprint, Generator, Critic, _generatorOptimizer, _criticOptimizer, _average, state);
            }

            var remaining = clock.StepCompleted(done, _options.Iterations);
            progress?.Report(new TrainingProgress(
                (int)(iteration / _iterationsPerEpoch) + 1,
                done,
                _options.Iterations,
                new Dictionary<string, double>(state.Losses, StringComparer.Ordinal),
                state.LastMetric,
                clock.Elapsed,
                remaining));
        }

        long? selected = null;
        Generator.eval();
        if ((state.StoppedEarly || _options.SelectBestCheckpoint) && state.BestWeights is { } best)
        {
            StateDicts.LoadStrict(Generator, best, "the best generator");
            selected = state.BestIteration;
            SaganLog.SelectedBest(_context.Logger, state.BestIteration, state.BestMetric ?? double.NaN);
        }
        else
        {
            _average?.CopyToModule();
        }

        foreach (var tensor in state.BestWeights?.Values ?? [])
        {
            tensor.Dispose();
        }

        return new TrainingSummary(state.NextIteration, clock.Elapsed, state.Losses, selected);
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
        var criticLoss = fakeScore - realScore + (penalty * _options.GradientPenaltyWeight);
        _criticOptimizer.zero_grad();
        criticLoss.backward();
        _criticOptimizer.step();

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
            var generatorLoss = adversarial + (identity * _options.IdentityWeight) + (restoration * _options.RestorationWeight);
            _generatorOptimizer.zero_grad();
            generatorLoss.backward();
            _generatorOptimizer.step();
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

    /// <summary>The validation metric: the mean score mean|x − G(x)|/2 of the validation images, deterministic, with the
    /// averaged weights when <see cref="SaganOptions.GeneratorAverageDecay"/> keeps an average.</summary>
    public double ValidationMetric()
    {
        using var averaged = _average?.SwapIntoModule();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var training = Generator.training;
        Generator.eval();
        try
        {
            var images = _context.Validation.All().to(_device);
            var count = images.shape[0];
            var total = torch.zeros(1, device: _device);
            for (long start = 0; start < count; start += _options.BatchSize)
            {
                var batch = images.narrow(0, start, Math.Min(_options.BatchSize, count - start));
                total += (batch - Generator.Restore(batch)).abs().sum();
            }

            return total.item<float>() / (double)images.numel() / 2;
        }
        finally
        {
            Generator.train(training);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _average?.Dispose();
        Critic.Dispose();
    }

    private void Validate(SaganTrainingState state)
    {
        var metric = ValidationMetric();
        state.LastMetric = metric;
        if (state.BestMetric is not { } best || metric < best - _options.EarlyStoppingMinDelta)
        {
            state.BestMetric = metric;
            state.BestIteration = state.NextIteration;
            state.StaleValidations = 0;
            if (_options.SelectBestCheckpoint || _options.EarlyStoppingPatience > 0)
            {
                if (state.BestWeights is { } replaced)
                {
                    foreach (var tensor in replaced.Values)
                    {
                        tensor.Dispose();
                    }
                }

                state.BestWeights = _average?.Export() is { } average ? WithBuffers(average) : StateDicts.Export(Generator);
            }
        }
        else
        {
            state.StaleValidations++;
            if (_options.EarlyStoppingPatience > 0 && state.StaleValidations >= _options.EarlyStoppingPatience)
            {
                state.StoppedEarly = true;
                SaganLog.EarlyStopped(_context.Logger, state.NextIteration, _options.EarlyStoppingPatience, state.BestIteration, state.BestMetric.Value);
            }
        }

        SaganLog.Validated(_context.Logger, state.NextIteration, metric, state.BestMetric.Value, state.BestIteration);
    }

    /// <summary>The generator's state with its parameters replaced by <paramref name="average"/> (its buffers as they are).</summary>
    private Dictionary<string, Tensor> WithBuffers(Dictionary<string, Tensor> average)
    {
        var state = StateDicts.Export(Generator);
        foreach (var (name, tensor) in average)
        {
            state[name].Dispose();
            state[name] = tensor;
        }

        return state;
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

    private static string Fingerprint(SaganOptions o, int normal, int unlabeled, int validation) => string.Create(CultureInfo.InvariantCulture,
        $"size={o.ImageSize};channels={o.Channels};conv={o.ConvDim};repeat={o.RepeatNum};critic={o.CriticRepeatNum};seed={o.Seed};batch={o.BatchSize};criticSteps={o.CriticSteps};" +
        $"gp={o.GradientPenaltyWeight:R};identity={o.IdentityWeight:R};restoration={o.RestorationWeight:R};lr={o.LearningRate:R};beta1={o.Beta1:R};beta2={o.Beta2:R};mix={o.TrainingMixProbability:R};average={o.GeneratorAverageDecay:R};" +
        $"normal={normal};unlabeled={unlabeled};validation={validation}");
}
