namespace AnomalyDetection.Evaluation;

/// <summary>Which end of a baseline statistic counts as anomalous.</summary>
public enum BaselineOrientation
{
    /// <summary>Higher values are more anomalous (brightness, spread).</summary>
    High,

    /// <summary>Lower values are more anomalous (darkness, inverted spread): the score is negated.</summary>
    Low,
}
