using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Sagan;

/// <summary>Source-generated log messages of the SAGAN detector (event ids 2000–2099; validation, early stopping, selection and resuming are logged by Core's TrainingLoop).</summary>
internal static partial class SaganLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "No unlabeled pool was given: SAGAN trains with the normal images as its unlabeled set, which makes it a one-class GAN. Pass TrainingData.Unlabeled (see UnlabeledPoolBuilder) for the semi-supervised method")]
    public static partial void NoUnlabeledPool(ILogger logger);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Batch size {BatchSize} exceeds the {Count} normal training images; training uses batches of {Count}")]
    public static partial void BatchLargerThanData(ILogger logger, int batchSize, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Holding {Held} of the pool's {Count} images out of training to validate on (held-out normals against held-out pool images)")]
    public static partial void PoolHeldOut(ILogger logger, int held, int count);
}
