using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>Source-generated log messages shared by detectors (event ids 1000–1099).</summary>
internal static partial class DetectorLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Training {Kind} on {TrainCount} images ({ValidationCount} held out for validation, {UnlabeledCount} unlabeled)")]
    public static partial void TrainingStarted(ILogger logger, string kind, int trainCount, int validationCount, int unlabeledCount);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Left {Count} of the {PoolCount} unlabeled images out of training: they are held-out validation images")]
    public static partial void HeldOutImagesLeftOutOfPool(ILogger logger, int count, int poolCount);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Trained {Kind}: {Steps} steps in {Elapsed}")]
    public static partial void TrainingFinished(ILogger logger, string kind, long steps, TimeSpan elapsed);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Calibrated {Kind}: image threshold {Threshold} ({Source})")]
    public static partial void Calibrated(ILogger logger, string kind, double threshold, string source);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Saved {Kind} model to {Destination}")]
    public static partial void Saved(ILogger logger, string kind, string destination);
}
