using AnomalyDetection.Detection;

namespace AnomalyDetection.Components;

/// <summary>
/// Settings of the detectors that train networks with Adam to restore (or reconstruct) an image x as x̂ and score the
/// residual x − x̂: SAGAN, Patch-GAN and the autoencoder. Each detector's options choose their own defaults, named in
/// their class summary.
/// </summary>
public abstract class RestorationDetectorOptions : DetectorOptions
{
    /// <summary>Sets the defaults that differ between detectors.</summary>
    /// <param name="learningRate">The default <see cref="LearningRate"/>.</param>
    /// <param name="beta1">The default <see cref="Beta1"/>.</param>
    /// <param name="scoreTopFraction">The default <see cref="ScoreTopFraction"/>.</param>
    /// <param name="mapSmoothingSigma">The default <see cref="MapSmoothingSigma"/>.</param>
    protected RestorationDetectorOptions(double learningRate, double beta1, double scoreTopFraction, double mapSmoothingSigma)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        ScoreTopFraction = scoreTopFraction;
        MapSmoothingSigma = mapSmoothingSigma;
    }

    /// <summary>Adam's learning rate for every network, constant; in (0, 1].</summary>
    public double LearningRate { get; set; }

    /// <summary>Adam's β₁; in [0, 1).</summary>
    public double Beta1 { get; set; }

    /// <summary>Adam's β₂; in [0, 1). Defaults to 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>The standard deviation, in pixels, of the Gaussian that smooths the anomaly map before it is scored and
    /// returned; 0 turns smoothing off. About the lesion's radius shows regions rather than speckle. In [0, 64].</summary>
    public double MapSmoothingSigma { get; set; }

    /// <summary>The fraction of the map, highest first, whose mean makes the image score; 1 scores the whole map. In (0, 1].</summary>
    public double ScoreTopFraction { get; set; }

    /// <summary>Which side of the residual x − x̂ the map and the score count: <see cref="ResidualPolarity.Absolute"/>
    /// (the default, as in the papers) counts both; <see cref="ResidualPolarity.Brighter"/> suits lesions brighter than
    /// healthy tissue (FLAIR hyperintensities), <see cref="ResidualPolarity.Darker"/> darker ones (skin lesions). Training
    /// is unchanged.</summary>
    public ResidualPolarity ResidualPolarity { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (!(LearningRate is > 0 and <= 1))
        {
            // A learning rate such as 1e30 only diverges.
            yield return Invalid(nameof(LearningRate), LearningRate, "in (0, 1]");
        }

        if (!(Beta1 is >= 0 and < 1))
        {
            yield return Invalid(nameof(Beta1), Beta1, "in [0, 1)");
        }

        if (!(Beta2 is >= 0 and < 1))
        {
            yield return Invalid(nameof(Beta2), Beta2, "in [0, 1)");
        }

        if (!(MapSmoothingSigma is >= 0 and <= 64))
        {
            yield return Invalid(nameof(MapSmoothingSigma), MapSmoothingSigma, "in [0, 64]");
        }

        if (!(ScoreTopFraction is > 0 and <= 1))
        {
            yield return Invalid(nameof(ScoreTopFraction), ScoreTopFraction, "in (0, 1]");
        }

        if (!Enum.IsDefined(ResidualPolarity))
        {
            yield return Invalid(nameof(ResidualPolarity), ResidualPolarity, "Absolute, Brighter or Darker");
        }
    }
}
