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
    Action<TrainingCheckpoint> RestoreState)
{
    /// <summary>The plan <paramref name="options"/> ask for: a file named <paramref name="fileName"/> in their
    /// <see cref="DetectorOptions.CheckpointDirectory"/>, every <see cref="DetectorOptions.CheckpointInterval"/> steps;
    /// null when they name no directory (no checkpoints).</summary>
    /// <param name="options">The detector's settings.</param>
    /// <param name="fileName">The detector's checkpoint file name.</param>
    /// <param name="format">The detector's checkpoint format name.</param>
    /// <param name="fingerprint">The settings and data that shape the training sequence.</param>
    /// <param name="saveState">Adds the detector's tensors and optimiser states to a checkpoint being written.</param>
    /// <param name="restoreState">Restores them from a checkpoint being resumed.</param>
    /// <returns>The plan, or null.</returns>
    public static CheckpointPlan? FromOptions(DetectorOptions options, string fileName, string format, string fingerprint,
        Action<TrainingCheckpoint> saveState, Action<TrainingCheckpoint> restoreState)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CheckpointDirectory is { } folder
            ? new CheckpointPlan(System.IO.Path.Combine(folder, fileName), options.CheckpointInterval, format, fingerprint, saveState, restoreState)
            : null;
    }
}
