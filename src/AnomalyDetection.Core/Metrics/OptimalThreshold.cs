namespace AnomalyDetection.Metrics;

/// <summary>The best value of a threshold-dependent metric over all thresholds, and the threshold that attains it.</summary>
/// <param name="Value">The metric's maximum, e.g. the F1-max or the best Dice.</param>
/// <param name="Threshold">The highest score threshold attaining <paramref name="Value"/>; samples with score ≥ this
/// threshold are called anomalous.</param>
public readonly record struct OptimalThreshold(double Value, double Threshold);
