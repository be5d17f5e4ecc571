using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>Source-generated log messages of the shared <see cref="TrainingLoop"/> (event ids 1010–1019).</summary>
internal static partial class TrainingLoopLog
{
    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Resuming training from {Path} at step {Step}")]
    public static partial void Resumed(ILogger logger, string path, long step);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Step {Step}: validation metric {Metric} (best {Best} at step {BestStep})")]
    public static partial void Validated(ILogger logger, long step, double metric, double best, long bestStep);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Early stop at step {Step}: no improvement in {Patience} validations; restoring the weights of step {BestStep} (validation metric {Best})")]
    public static partial void EarlyStopped(ILogger logger, long step, int patience, long bestStep, double best);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Keeping the weights of step {BestStep} (best validation metric {Best})")]
    public static partial void SelectedBest(ILogger logger, long bestStep, double best);
}
