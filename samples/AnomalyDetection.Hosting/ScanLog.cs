using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Hosting;

/// <summary>The scanner's log messages.</summary>
internal static partial class ScanLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded the trained {Kind} model from {ModelFile}")]
    public static partial void ModelLoaded(ILogger logger, string kind, string modelFile);

    [LoggerMessage(2, LogLevel.Information, "No model file at {ModelFile}: training detector '{Name}' ({Kind}) on {TrainingData}")]
    public static partial void TrainingStarted(ILogger logger, string modelFile, string name, string kind, string trainingData);

    [LoggerMessage(3, LogLevel.Information, "Training step {Step}/{TotalSteps}")]
    public static partial void TrainingStep(ILogger logger, long step, long totalSteps);

    [LoggerMessage(4, LogLevel.Information, "Saved the trained model to {ModelFile}")]
    public static partial void ModelSaved(ILogger logger, string modelFile);

    [LoggerMessage(5, LogLevel.Information, "{Count} files handled")]
    public static partial void BatchScored(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Information, "Scanned {Count} images of {InputFolder} ({Anomalous} anomalous); results in {OutputCsv}")]
    public static partial void ScanCompleted(ILogger logger, int count, string inputFolder, int anomalous, string outputCsv);

    [LoggerMessage(7, LogLevel.Warning, "Scan stopped after {Count} images; partial results in {OutputCsv}")]
    public static partial void ScanStopped(ILogger logger, int count, string outputCsv);

    [LoggerMessage(8, LogLevel.Warning, "Skipped {File}: {Error}")]
    public static partial void FileSkipped(ILogger logger, string file, string error);
}
