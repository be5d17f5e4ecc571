namespace AnomalyDetection.Detection;

/// <summary>A snapshot of a running training, reported through <see cref="IProgress{T}"/> once per step.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Step">The optimisation steps completed so far.</param>
/// <param name="TotalSteps">The steps the training will run unless it stops early.</param>
/// <param name="Losses">The latest value of each named loss (for example "critic", "generator", "identity").</param>
/// <param name="ValidationMetric">The latest validation value of the monitored metric, when one has been computed.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="EstimatedRemaining">Time still needed at the average speed of this run's steps after its first (which
/// carries one-off warm-up costs); null after the first step, when the speed is not known yet.</param>
/// <param name="Validated">Whether this step ended with a validation, so that <paramref name="ValidationMetric"/> is the
/// value of this step's weights (a run's validation curve is the metric of the reports where this is true).</param>
public sealed record TrainingProgress(
    int Epoch,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Losses,
    double? ValidationMetric,
    TimeSpan Elapsed,
    TimeSpan? EstimatedRemaining,
    bool Validated = false)
{
    /// <summary>The completed fraction of the training, in [0, 1].</summary>
    public double Fraction => TotalSteps <= 0 ? 0 : Math.Clamp((double)Step / TotalSteps, 0, 1);
}
