namespace AnomalyDetection.Evaluation;

/// <summary>One validation of a training run: the step whose weights were validated and the metric they scored
/// (lower is better).</summary>
/// <param name="Step">The optimisation steps completed when the validation ran.</param>
/// <param name="Metric">The detector's validation metric at that step.</param>
internal sealed record ValidationPoint(long Step, double Metric);
