using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// The step loop of detectors that train on shuffled batches of their normal images: a new order at each epoch's
/// first step, one caller-defined update per batch, a divergence check, checkpoints, and progress after every step.
/// Because it runs step by step exactly as epoch by epoch, a run resumed from a checkpoint continues the same sequence
/// bit for bit.
/// </summary>
public sealed class BatchTrainingLoop
{
    private const string StepKey = "step";
    private const string OrderKey = "order";
    private const string RandomKey = "random";
    private const string LossPrefix = "loss.";

    private readonly int _batchSize;
    private readonly int _epochs;
    private readonly long? _maxSteps;

    /// <summary>Creates a loop.</summary>
    /// <param name="batchSize">Images per step, capped at the number of training images; positive.</param>
    /// <param name="epochs">Passes over the images when <paramref name="maxSteps"/> is null; positive.</param>
    /// <param name="maxSteps">The number of steps, overriding <paramref name="epochs"/>; null to count epochs.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public BatchTrainingLoop(int batchSize, int epochs, long? maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        if (maxSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(maxSteps));
        }

        _batchSize = batchSize;
        _epochs = epochs;
        _maxSteps = maxSteps;
    }

    /// <summary>Where and how to checkpoint; null (the default) for none.</summary>
    public CheckpointPlan? Checkpoints { get; init; }

    /// <summary>Trains, or resumes from <see cref="Checkpoints"/> when its file exists, until the configured steps are done.</summary>
    /// <param name="context">The training images and the run's random source (which also drives augmentation).</param>
    /// <param name="step">One update on a batch of (augmented) images, already on the context's device; returns the step's
    /// named losses. It runs inside a dispose scope: tensors it creates and does not move out are freed after it.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>The steps done (counting those before a resume), this run's time and the last losses.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the step is not checkpointed.</exception>
    /// <exception cref="InvalidCheckpointException">The checkpoint file is damaged, or of another format, settings or data.</exception>
    public TrainingSummary Run(
        TrainingContext context,
        Func<Tensor, RandomSource, IReadOnlyDictionary<string, double>> step,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        var images = context.Normal;
        var random = context.Random;
        var batch = Math.Min(_batchSize, images.Count);
        var stepsPerEpoch = (images.Count + batch - 1) / batch;
        var totalSteps = _maxSteps ?? ((long)_epochs * stepsPerEpoch);
        var order = Enumerable.Range(0, images.Count).ToArray();
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        long done = 0;
        if (Checkpoints is { } plan && File.Exists(plan.Path))
        {
            (done, order, losses) = TrainingCheckpoint.Resume(plan.Path, plan.Format, plan.Fingerprint, checkpoint =>
            {
                plan.RestoreState(checkpoint);
                checkpoint.RestoreRandomSource(RandomKey, random);
                return (checkpoint.GetInt64(StepKey), checkpoint.GetPermutation(OrderKey, images.Count), (IReadOnlyDictionary<string, double>)checkpoint.GetValues(LossPrefix));
            });
        }

        var clock = new RemainingTimeEstimate(done);
        while (done < totalSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var position = (int)(done % stepsPerEpoch);
            if (position == 0)
            {
                random.Shuffle(order.AsSpan());
            }

            var start = position * batch;
            var count = Math.Min(batch, order.Length - start);
            using (torch.NewDisposeScope())
            {
                losses = step(images.Batch(order.AsSpan(start, count), random).to(context.Device), random);
            }

            done++;
            TrainingDivergedException.ThrowIfDiverged(done, losses);
            if (Checkpoints is { } checkpoints && (done % checkpoints.Interval == 0 || done == totalSteps))
            {
                Save(checkpoints, done, order, random, losses);
            }

            var remaining = clock.StepCompleted(done, totalSteps);
            progress?.Report(new TrainingProgress((int)((done - 1) / stepsPerEpoch) + 1, done, totalSteps, losses, null, clock.Elapsed, remaining));
        }

        return new TrainingSummary(done, clock.Elapsed, losses, null);
    }

    private static void Save(CheckpointPlan plan, long step, int[] order, RandomSource random, IReadOnlyDictionary<string, double> losses)
    {
        var checkpoint = new TrainingCheckpoint();
        plan.SaveState(checkpoint);
        checkpoint.SetValue(StepKey, step);
        checkpoint.SetPermutation(OrderKey, order);
        checkpoint.AddRandomSource(RandomKey, random);
        checkpoint.SetValues(LossPrefix, losses);
        checkpoint.Save(plan.Path, plan.Format, plan.Fingerprint);
    }
}
