namespace AnomalyDetection.Cli;

/// <summary>What <c>train</c> was asked for: the detector kind, an optional options file and the flag overrides.</summary>
internal sealed record TrainingSettings(
    string Kind,
    string? OptionsFile,
    int? MaxSteps,
    int? ImageSize,
    long? Seed,
    int? BatchSize,
    string? CheckpointDirectory);
