namespace AnomalyDetection.Evaluation;

/// <summary>The image statistic a trivial baseline scores with.</summary>
public enum BaselineStatistic
{
    /// <summary>The mean gray intensity; its pixel map is the blurred intensity.</summary>
    Mean,

    /// <summary>The (population) standard deviation of the gray intensity; it has no pixel map.</summary>
    Spread,

    /// <summary>The mean of the highest <see cref="BaselineOptions.TopFraction"/> of the pixel map (the blurred
    /// intensity, negated for the low orientation): the brightest (or darkest) spot, the trivial counterpart of a
    /// detector scoring the top of its map. Its pixel map is <see cref="Mean"/>'s.</summary>
    Top,
}
