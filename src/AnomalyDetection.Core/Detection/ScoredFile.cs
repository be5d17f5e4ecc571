namespace AnomalyDetection.Detection;

/// <summary>The outcome for one file of a folder scan: its prediction, or why it could not be read.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Prediction">The prediction; null when the file could not be read.</param>
/// <param name="Error">Why the file was skipped (an undecodable or unreadable file); null when it was scored.</param>
public sealed record ScoredFile(string Path, AnomalyPrediction? Prediction, string? Error)
{
    /// <summary>Whether the file was scored.</summary>
    public bool Succeeded => Prediction is not null;
}
