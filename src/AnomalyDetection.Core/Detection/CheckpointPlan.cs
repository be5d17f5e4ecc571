namespace AnomalyDetection.Detection;

/// <summary>
/// Where and how a <see cref="TrainingLoop"/> checkpoints: the file, how often, and the detector's own part of the
/// state (its networks, optimisers and data order); the loop adds the step, the losses and its validation state.
/// </summary>
/// <param name="Path">The checkpoint file; resumed from when it exists.</param>
/// <param name="Interval">Steps between checkpoints; one is also written after the last step.</param>
/// <param name="Format">The detector's checkpoint format name; a file of another format is refused.</param>
/// <param name="Fingerprint">The settings and data that shape the training sequence; a file of another fingerprint is refused.</param>
/// <param name="SaveState">Adds the detector's tensors and optimiser states to a checkpoint being written.</param>
/// <param name="RestoreState">Restores them from a checkpoint being resumed.</param>
public sealed record CheckpointPlan(
    string Path,
    int Interval,
    string Format,
    string Fingerprint,
    Action<TrainingCheckpoint> SaveState,
    Action<TrainingCheckpoint> RestoreState);
