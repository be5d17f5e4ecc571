namespace AnomalyDetection.Evaluation;

/// <summary>The settings of a trivial baseline (kind <c>baseline</c>), set by name like detector options.</summary>
internal sealed class BaselineOptions
{
    /// <summary>The image statistic. Defaults to <see cref="BaselineStatistic.Mean"/>.</summary>
    public BaselineStatistic Statistic { get; set; } = BaselineStatistic.Mean;

    /// <summary>Which end is anomalous. Defaults to <see cref="BaselineOrientation.High"/>.</summary>
    public BaselineOrientation Orientation { get; set; } = BaselineOrientation.High;

    /// <summary>The Gaussian blur of the pixel map, in pixels of the scored resolution. Defaults to 2.</summary>
    public double BlurSigma { get; set; } = 2;

    /// <summary>The share of the map's pixels whose mean is the <see cref="BaselineStatistic.Top"/> score, in (0, 1]. Defaults to 0.05.</summary>
    public double TopFraction { get; set; } = 0.05;

    /// <summary>The side images (and masks) are resized to before scoring; 0 scores at the native resolution. Defaults to 0.</summary>
    public int ImageSize { get; set; }
}
