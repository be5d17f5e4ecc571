using System.Diagnostics;
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
    private readonly ConvAutoencoder _network;
    private readonly AutoencoderOptions _options;
    private readonly Adam _optimizer;

    public AutoencoderTrainer(ConvAutoencoder network, AutoencoderOptions options)
    {
        _network = network;
        _options = options;
        _optimizer = new Adam(network.Parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>Trains for the configured steps, reporting and checking for cancellation after every step.</summary>
    public TrainingSummary Run(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var images = context.Normal;
        var random = context.Random;
        var batch = Math.Min(_options.BatchSize, images.Count);
        var stepsPerEpoch = (images.Count + batch - 1) / batch;
        var totalSteps = _options.MaxSteps ?? ((long)_options.Epochs * stepsPerEpoch);
        var order = Enumerable.Range(0, images.Count).ToArray();
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        long step = 0;
        var epoch = 0;
        _network.Train();
        try
        {
            while (step < totalSteps)
            {
                epoch++;
                random.Shuffle(order.AsSpan());
                for (var start = 0; start < order.Length && step < totalSteps; start += batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var count = Math.Min(batch, order.Length - start);
                    var loss = Step(images.Batch(order.AsSpan(start, count), random));
                    losses = new Dictionary<string, double>(StringComparer.Ordinal) { ["reconstruction"] = loss };
                    step++;
                    TrainingDivergedException.ThrowIfDiverged(step, losses);
                    var elapsed = clock.Elapsed;
                    progress?.Report(new TrainingProgress(epoch, step, totalSteps, losses, null, elapsed, elapsed * ((double)(totalSteps - step) / step)));
                }
            }
        }
        finally
        {
            // Scoring uses the running batch statistics, also after a cancelled run.
            _network.Eval();
        }

        return new TrainingSummary(step, clock.Elapsed, losses, null);
    }

    private double Step(Tensor images)
    {
        var loss = ReconstructionErrors.Elementwise(images, _network.Forward(images), _options.Loss).Mean();
        _network.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.ToScalar();
    }
}
