using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Autoencoder;

/// <summary>
/// The autoencoder training loop: shuffled batches of normal images, one Adam step per batch on the mean
/// reconstruction error (<see cref="AutoencoderOptions.Loss"/>), for <see cref="AutoencoderOptions.Epochs"/> passes or
/// <see cref="AutoencoderOptions.MaxSteps"/> steps.
/// </summary>
internal sealed class AutoencoderTrainer
{
    /// <summary>The checkpoint's file name inside <see cref="AutoencoderOptions.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "autoencoder.checkpoint.safetensors";

    private const string CheckpointFormat = "autoencoder-checkpoint-1";
    private const string NetworkPrefix = "network.";
    private const string OptimizerPrefix = "optimizer.";
    private const string StepKey = "step";
    private const string OrderKey = "order";
    private const string RandomKey = "random";
    private const string LossPrefix = "loss.";
    private const string LossName = "reconstruction";

    private readonly ConvAutoencoder _network;
    private readonly AutoencoderOptions _options;
    private readonly Adam _optimizer;

    public AutoencoderTrainer(ConvAutoencoder network, AutoencoderOptions options)
    {
        _network = network;
        _options = options;
        _optimizer = new Adam(network.Parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>
    /// Trains (or resumes from <see cref="AutoencoderOptions.CheckpointDirectory"/>) for the configured steps, reporting
    /// and checking for cancellation after every step.
    /// </summary>
    public TrainingSummary Run(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var images = context.Normal;
        var random = context.Random;
        var batch = Math.Min(_options.BatchSize, images.Count);
        var stepsPerEpoch = (images.Count + batch - 1) / batch;
        var totalSteps = _options.MaxSteps ?? ((long)_options.Epochs * stepsPerEpoch);
        var order = Enumerable.Range(0, images.Count).ToArray();
        var checkpoint = _options.CheckpointDirectory is { } folder ? Path.Combine(folder, CheckpointFileName) : null;
        var fingerprint = Fingerprint(_options, context);
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        long step = 0;
        if (checkpoint is not null && File.Exists(checkpoint))
        {
            (step, order, losses) = TrainingCheckpoint.Resume(checkpoint, CheckpointFormat, fingerprint, Restore(random, images.Count));
        }

        var first = step;
        var clock = Stopwatch.StartNew();
        _network.Train();
        try
        {
            while (step < totalSteps)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Step by step exactly as epoch by epoch: a new order at each epoch's first step, then its batches in turn.
                var position = (int)(step % stepsPerEpoch);
                if (position == 0)
                {
                    random.Shuffle(order.AsSpan());
                }

                var start = position * batch;
                var count = Math.Min(batch, order.Length - start);
                var loss = Step(images.Batch(order.AsSpan(start, count), random));
                losses = new Dictionary<string, double>(StringComparer.Ordinal) { [LossName] = loss };
                step++;
                TrainingDivergedException.ThrowIfDiverged(step, losses);
                if (checkpoint is not null && (step % _options.CheckpointInterval == 0 || step == totalSteps))
                {
                    Save(checkpoint, fingerprint, step, order, random, losses);
                }

                var elapsed = clock.Elapsed;
                progress?.Report(new TrainingProgress(
                    (int)((step - 1) / stepsPerEpoch) + 1, step, totalSteps, losses, null, elapsed, elapsed * ((double)(totalSteps - step) / (step - first))));
            }
        }
        finally
        {
            // Scoring uses the running batch statistics, also after a cancelled run.
            _network.Eval();
        }

        return new TrainingSummary(step, clock.Elapsed, losses, null);
    }

    /// <summary>Writes the network (with its batch statistics), the optimiser, the step, the epoch's order, the random
    /// source and the loss.</summary>
    private void Save(string path, string fingerprint, long step, int[] order, RandomSource random, IReadOnlyDictionary<string, double> losses)
    {
        var checkpoint = new TrainingCheckpoint();
        checkpoint.AddTensors(NetworkPrefix, _network.StateDict());
        checkpoint.AddOptimizer(OptimizerPrefix, _optimizer);
        checkpoint.SetValue(StepKey, step);
        checkpoint.SetPermutation(OrderKey, order);
        checkpoint.AddRandomSource(RandomKey, random);
        checkpoint.SetValues(LossPrefix, losses);
        checkpoint.Save(path, CheckpointFormat, fingerprint);
    }

    private Func<TrainingCheckpoint, (long Step, int[] Order, IReadOnlyDictionary<string, double> Losses)> Restore(RandomSource random, int count) => checkpoint =>
    {
        _network.LoadStateDict(checkpoint.Tensors(NetworkPrefix));
        checkpoint.RestoreOptimizer(OptimizerPrefix, _optimizer);
        checkpoint.RestoreRandomSource(RandomKey, random);
        return (checkpoint.GetInt64(StepKey), checkpoint.GetPermutation(OrderKey, count), checkpoint.GetValues(LossPrefix));
    };

    /// <summary>Every setting that shapes the training sequence, and the data's sizes; the step count is left out so
    /// that a run can be resumed with more steps.</summary>
    private static string Fingerprint(AutoencoderOptions o, TrainingContext context) => string.Create(CultureInfo.InvariantCulture,
        $"size={o.ImageSize};channels={o.Channels};seed={o.Seed};batch={o.BatchSize};width={o.BaseWidth};depth={o.Depth};latent={o.LatentChannels};" +
        $"loss={o.Loss};lr={o.LearningRate:R};beta1={o.Beta1:R};beta2={o.Beta2:R};normal={context.Normal.Count};validation={context.Validation.Count}");

    private double Step(Tensor images)
    {
        var loss = ReconstructionErrors.Elementwise(images, _network.Forward(images), _options.Loss).Mean();
        _network.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.ToScalar();
    }
}
