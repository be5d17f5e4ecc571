using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>How a <see cref="ScoreCalibration"/> threshold was chosen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ThresholdSource>))]
public enum ThresholdSource
{
    /// <summary>The threshold that maximises F1 on validation data with both normal and anomalous samples.</summary>
    F1Max,

    /// <summary>A percentile of the normal scores, because the validation data had no anomalous samples.</summary>
    NormalPercentile,

    /// <summary>Set by the user, directly or through a sensitivity.</summary>
    Manual,
}
