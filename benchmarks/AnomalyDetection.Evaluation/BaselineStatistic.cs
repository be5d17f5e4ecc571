namespace AnomalyDetection.Evaluation;

/// <summary>The image statistic a trivial baseline scores with.</summary>
public enum BaselineStatistic
{
    /// <summary>The mean gray intensity; its pixel map is the blurred intensity.</summary>
    Mean,

    /// <summary>The (population) standard deviation of the gray intensity; it has no pixel map.</summary>
    Spread,
}
