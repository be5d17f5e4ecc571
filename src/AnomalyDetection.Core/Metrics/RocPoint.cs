namespace AnomalyDetection.Metrics;

/// <summary>One point of a ROC curve: the rates obtained by calling every sample with score ≥
/// <paramref name="Threshold"/> anomalous.</summary>
/// <param name="Threshold">The score threshold; +∞ for the curve's origin.</param>
/// <param name="FalsePositiveRate">The fraction of normal samples at or above the threshold.</param>
/// <param name="TruePositiveRate">The fraction of anomalous samples at or above the threshold.</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
