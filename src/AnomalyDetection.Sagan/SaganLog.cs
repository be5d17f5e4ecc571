using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Sagan;

/// <summary>Source-generated log messages of the SAGAN detector (event ids 2000–2099).</summary>
internal static partial class SaganLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "No unlabeled pool was given: SAGAN trains with the normal images as its unlabeled set, which makes it a one-class GAN. Pass TrainingData.Unlabeled (see UnlabeledPoolBuilder) for the semi-supervised method")]
    public static partial void NoUnlabeledPool(ILogger logger);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Batch size {BatchSize} exceeds the {Count} normal training images; training uses batches of {Count}")]
    public static partial void BatchLargerThanData(ILogger logger, int batchSize, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Iteration {Iteration}: validation mean score {Metric} (best {Best} at iteration {BestIteration})")]
    public static partial void Validated(ILogger logger, long iteration, double metric, double best, long bestIteration);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Early stop at iteration {Iteration}: no improvement in {Patience} validations; restoring the generator of iteration {BestIteration} (validation mean score {Best})")]
    public static partial void EarlyStopped(ILogger logger, long iteration, int patience, long bestIteration, double best);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Resuming SAGAN training from {Path} at iteration {Iteration}")]
    public static partial void Resumed(ILogger logger, string path, long iteration);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Keeping the generator of iteration {BestIteration} (best validation mean score {Best})")]
    public static partial void SelectedBest(ILogger logger, long bestIteration, double best);
}
