using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>Where a SAGAN training run stands besides its weights and optimiser states; checkpoints store it.</summary>
internal sealed class SaganTrainingState
{
    /// <summary>The next iteration to run (the number completed).</summary>
    public long NextIteration { get; set; }

    /// <summary>The latest validation metric, if any.</summary>
    public double? LastMetric { get; set; }

    /// <summary>The best (lowest) validation metric so far, if any.</summary>
    public double? BestMetric { get; set; }

    /// <summary>The iteration count at which <see cref="BestMetric"/> was reached.</summary>
    public long BestIteration { get; set; }

    /// <summary>A copy of the generator's weights at <see cref="BestIteration"/>, kept only when they may be restored.</summary>
    public IReadOnlyDictionary<string, Tensor>? BestWeights { get; set; }

    /// <summary>Validations in a row without an improvement.</summary>
    public int StaleValidations { get; set; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>The latest value of every loss.</summary>
    public Dictionary<string, double> Losses { get; } = new(StringComparer.Ordinal);
}
