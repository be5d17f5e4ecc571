using System.Globalization;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Autoencoder;

/// <summary>
/// The autoencoder training loop: shuffled batches of normal images, one Adam step per batch on the mean
/// reconstruction error (<see cref="AutoencoderOptions.Loss"/>), for <see cref="AutoencoderOptions.Epochs"/> passes or
/// <see cref="AutoencoderOptions.MaxSteps"/> steps.
/// </summary>
internal sealed class AutoencoderTrainer
{
    /// <summary>The checkpoint's file name inside <see cref="DetectorOptions.CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "autoencoder.checkpoint.safetensors";

    // Version 2 adds the shared loop's validation state (best step and weights, stale validations).
    private const string CheckpointFormat = "autoencoder-checkpoint-2";
    private const string NetworkPrefix = "network.";
    private const string OptimizerPrefix = "optimizer.";
    private const string LossName = "reconstruction";

    private readonly ConvAutoencoder _network;
    private readonly AutoencoderOptions _options;
    private readonly AdamOptimizer _optimizer;

    public AutoencoderTrainer(ConvAutoencoder network, AutoencoderOptions options)
    {
        _network = network;
        _options = options;
        _optimizer = new AdamOptimizer(network.parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>
    /// Trains (or resumes from <see cref="DetectorOptions.CheckpointDirectory"/>) for the configured steps, reporting
    /// and checking for cancellation after every step.
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
        try
        {
            return loop.Run(step => new Dictionary<string, double>(StringComparer.Ordinal) { [LossName] = Step(batches.Next(step)) }, progress, cancellationToken);
        }
        finally
        {
            // Scoring uses the running batch statistics, also after a cancelled run.
            _network.eval();
            _optimizer.Dispose();
        }
    }

    /// <summary>The network (with its batch statistics), the optimiser and the batches' order.</summary>
    private void SaveState(TrainingCheckpoint checkpoint, ShuffledBatches batches)
    {
        batches.Save(checkpoint);
        checkpoint.AddTensors(NetworkPrefix, StateDicts.Export(_network));
        checkpoint.AddOptimizer(OptimizerPrefix, _optimizer);
    }

    private void RestoreState(TrainingCheckpoint checkpoint, ShuffledBatches batches)
    {
        batches.Restore(checkpoint);
        StateDicts.LoadStrict(_network, checkpoint.Tensors(NetworkPrefix), "the autoencoder");
        checkpoint.RestoreOptimizer(OptimizerPrefix, _optimizer);
    }

    /// <summary>Every setting that shapes the training sequence, and the data's sizes; the step count is left out so
    /// that a run can be resumed with more steps.</summary>
    private static string Fingerprint(AutoencoderOptions o, TrainingContext context) => string.Create(CultureInfo.InvariantCulture,
        $"size={o.ImageSize};channels={o.Channels};seed={o.Seed};batch={o.BatchSize};width={o.BaseWidth};depth={o.Depth};latent={o.LatentChannels};" +
        $"loss={o.Loss};lr={o.LearningRate:R};beta1={o.Beta1:R};beta2={o.Beta2:R};normal={context.Normal.Count};validation={context.Validation.Count}");

    /// <summary>The validation metric: the mean reconstruction error (<see cref="AutoencoderOptions.Loss"/>) of the
    /// validation images, with the running batch statistics as scoring uses them.</summary>
    private double ValidationMetric(TrainingContext context) =>
        ValidationError.Mean(_network, context, _options.BatchSize, batch => ReconstructionErrors.Elementwise(batch, _network.forward(batch), _options.Loss));

    private double Step(Tensor images)
    {
        var loss = ReconstructionErrors.Elementwise(images, _network.forward(images), _options.Loss).mean();
        _optimizer.ZeroGrad();
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }
}
