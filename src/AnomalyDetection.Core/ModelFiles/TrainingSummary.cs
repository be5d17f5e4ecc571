namespace AnomalyDetection.ModelFiles;

/// <summary>What a training run did, kept in the model file for the record.</summary>
/// <param name="Steps">Optimisation steps run.</param>
/// <param name="Elapsed">Wall-clock training time.</param>
/// <param name="FinalLosses">The last value of each named loss.</param>
/// <param name="SelectedStep">The step whose weights were kept (best validation checkpoint), when selection ran.</param>
public sealed record TrainingSummary(long Steps, TimeSpan Elapsed, IReadOnlyDictionary<string, double> FinalLosses, long? SelectedStep);
