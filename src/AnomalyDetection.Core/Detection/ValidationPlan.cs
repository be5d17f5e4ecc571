using AnomalyDetection.Engine;
using Module = TorchSharp.torch.nn.Module;

namespace AnomalyDetection.Detection;

/// <summary>
/// How a <see cref="TrainingLoop"/> validates: a metric (lower is better) every <paramref name="Interval"/> steps and
/// after the last, optionally stopping early when it stalls and keeping the weights of <paramref name="Module"/> at its
/// best.
/// </summary>
/// <param name="Interval">Steps between validations; positive.</param>
/// <param name="Metric">Computes the metric of <paramref name="Module"/>'s current weights; lower is better.</param>
/// <param name="Module">The module validated and, with <see cref="SelectBest"/> or early stopping, restored to its best weights.</param>
public sealed record ValidationPlan(int Interval, Func<double> Metric, Module Module)
{
    /// <summary>Validations in a row without an improvement of at least <see cref="EarlyStoppingMinDelta"/> after which
    /// training stops (and the best weights are restored); 0 (the default) never stops early.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>The smallest decrease of the metric that counts as an improvement. Defaults to 0.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>Whether the module ends with the weights of its best validation instead of its last. Defaults to false.</summary>
    public bool SelectBest { get; init; }

    /// <summary>
    /// An average of the module's weights (updated by the detector's step) that is validated, selected and kept at the
    /// end in place of the last weights, and checkpointed with the loop; null (the default) for none.
    /// </summary>
    public ExponentialWeightAverage? Average { get; init; }

    /// <summary>The plan <paramref name="options"/> ask for: their <see cref="DetectorOptions.ValidationInterval"/>,
    /// early stopping and <see cref="DetectorOptions.SelectBestCheckpoint"/>.</summary>
    /// <param name="options">The detector's settings.</param>
    /// <param name="metric">Computes the metric of <paramref name="module"/>'s current weights; lower is better.</param>
    /// <param name="module">The module validated and selected.</param>
    /// <param name="average">An average of the module's weights to validate and keep instead, or null.</param>
    /// <returns>The plan.</returns>
    public static ValidationPlan FromOptions(DetectorOptions options, Func<double> metric, Module module, ExponentialWeightAverage? average = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ValidationPlan(options.ValidationInterval, metric, module)
        {
            EarlyStoppingPatience = options.EarlyStoppingPatience,
            EarlyStoppingMinDelta = options.EarlyStoppingMinDelta,
            SelectBest = options.SelectBestCheckpoint,
            Average = average,
        };
    }

    /// <summary>Whether the best weights must be kept in memory (they may be restored at the end).</summary>
    internal bool KeepsBest => SelectBest || EarlyStoppingPatience > 0;
}
