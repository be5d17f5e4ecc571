using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Calibration;

/// <summary>The calibration log messages, with stable event ids.</summary>
internal static partial class CalibrationLog
{
    public const int ThresholdFittedByF1Id = 2001;
    public const int NoAnomaliesInValidationId = 2002;

    [LoggerMessage(EventId = ThresholdFittedByF1Id, Level = LogLevel.Information,
        Message = "Fitted the {Scope} threshold {Threshold} by F1-max ({F1}) on {NormalCount} normal and {AnomalousCount} anomalous validation samples")]
    public static partial void ThresholdFittedByF1(ILogger logger, string scope, double threshold, double f1, long normalCount, long anomalousCount);

    [LoggerMessage(EventId = NoAnomaliesInValidationId, Level = LogLevel.Warning,
        Message = "The validation data has no anomalous {Scope} samples, only {NormalCount} normal ones, so the threshold {Threshold} is the {Percentile}th percentile of normal scores rather than an F1-optimal cut-off; add anomalous validation samples to fit it by F1")]
    public static partial void NoAnomaliesInValidation(ILogger logger, string scope, long normalCount, double threshold, double percentile);
}
