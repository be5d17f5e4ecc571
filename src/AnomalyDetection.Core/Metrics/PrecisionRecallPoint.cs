namespace AnomalyDetection.Metrics;

/// <summary>One point of a precision–recall curve: the scores obtained by calling every sample with score ≥
/// <paramref name="Threshold"/> anomalous.</summary>
/// <param name="Threshold">The score threshold; +∞ for the curve's start, which has recall 0 and precision 1.</param>
/// <param name="Precision">The fraction of samples at or above the threshold that are anomalous.</param>
/// <param name="Recall">The fraction of anomalous samples at or above the threshold.</param>
public readonly record struct PrecisionRecallPoint(double Threshold, double Precision, double Recall);
