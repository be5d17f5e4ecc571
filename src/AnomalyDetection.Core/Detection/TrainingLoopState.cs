using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>Where a <see cref="TrainingLoop"/> run stands besides the detector's own state; checkpoints store it.</summary>
internal sealed class TrainingLoopState : IDisposable
{
    private const string StepKey = "step";
    private const string LossPrefix = "loss.";
    private const string LastMetricKey = "last_metric";
    private const string BestMetricKey = "best_metric";
    private const string BestStepKey = "best_step";
    private const string StaleKey = "stale_validations";
    private const string StoppedKey = "stopped_early";
    private const string BestWeightsPrefix = "best_weights.";
    private const string AveragePrefix = "average_weights.";
    private const string AverageUpdatesKey = "average_updates";

    /// <summary>The steps completed.</summary>
    public long Step { get; set; }

    /// <summary>The latest value of every loss.</summary>
    public Dictionary<string, double> Losses { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest validation metric, if any.</summary>
    public double? LastMetric { get; set; }

    /// <summary>The best (lowest) validation metric so far, if any.</summary>
    public double? BestMetric { get; set; }

    /// <summary>The step at which <see cref="BestMetric"/> was reached.</summary>
    public long BestStep { get; set; }

    /// <summary>A copy of the validated module's weights at <see cref="BestStep"/>, kept only when they may be restored.</summary>
    public Dictionary<string, Tensor>? BestWeights { get; private set; }

    /// <summary>Validations in a row without an improvement.</summary>
    public int StaleValidations { get; set; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Replaces the kept best weights, freeing the previous ones.</summary>
    public void ReplaceBestWeights(Dictionary<string, Tensor>? weights)
    {
        Dispose();
        BestWeights = weights;
    }

    /// <summary>Adds the state (and the validation's weight average, when there is one) to a checkpoint.</summary>
    public void Save(TrainingCheckpoint checkpoint, ExponentialWeightAverage? average)
    {
        checkpoint.SetValue(StepKey, Step);
        checkpoint.SetValues(LossPrefix, Losses);
        checkpoint.SetValue(BestStepKey, BestStep);
        checkpoint.SetValue(StaleKey, StaleValidations);
        checkpoint.SetValue(StoppedKey, StoppedEarly ? "true" : "false");
        if (LastMetric is { } last)
        {
            checkpoint.SetValue(LastMetricKey, last);
        }

        if (BestMetric is { } best)
        {
            checkpoint.SetValue(BestMetricKey, best);
        }

        if (BestWeights is { } weights)
        {
            checkpoint.AddTensors(BestWeightsPrefix, weights);
        }

        if (average is not null)
        {
            checkpoint.AddTensors(AveragePrefix, average.Export());
            checkpoint.SetValue(AverageUpdatesKey, average.Updates);
        }
    }

    /// <summary>Reads the state saved by <see cref="Save"/>, restoring <paramref name="average"/> too.</summary>
    public static TrainingLoopState Restore(TrainingCheckpoint checkpoint, ExponentialWeightAverage? average)
    {
        average?.Restore(checkpoint.Tensors(AveragePrefix), checkpoint.GetInt64(AverageUpdatesKey));
        var best = checkpoint.Tensors(BestWeightsPrefix);
        foreach (var tensor in best.Values)
        {
            // The run keeps these beyond the read's dispose scope and frees them itself.
            tensor.DetachFromDisposeScope();
        }

        var state = new TrainingLoopState
        {
            Step = checkpoint.GetInt64(StepKey),
            BestStep = checkpoint.GetInt64(BestStepKey),
            StaleValidations = checked((int)checkpoint.GetInt64(StaleKey)),
            StoppedEarly = checkpoint.GetText(StoppedKey) == "true",
            LastMetric = checkpoint.GetDoubleOrNull(LastMetricKey),
            BestMetric = checkpoint.GetDoubleOrNull(BestMetricKey),
            BestWeights = best.Count > 0 ? best : null,
        };
        foreach (var (name, value) in checkpoint.GetValues(LossPrefix))
        {
            state.Losses[name] = value;
        }

        return state;
    }

    /// <summary>Frees the kept best weights.</summary>
    public void Dispose()
    {
        foreach (var tensor in BestWeights?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }

        BestWeights = null;
    }
}
