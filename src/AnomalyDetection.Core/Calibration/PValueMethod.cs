using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>How <see cref="PValueModel.Fit"/> models the distribution of normal scores.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PValueMethod>))]
public enum PValueMethod
{
    /// <summary>The normal scores themselves, with no assumed shape (<see cref="EmpiricalPValueModel"/>).</summary>
    Empirical,

    /// <summary>A Gaussian fitted by maximum likelihood (<see cref="GaussianPValueModel"/>).</summary>
    Gaussian,

    /// <summary>A log-normal fitted by maximum likelihood; needs positive scores (<see cref="LogNormalPValueModel"/>).</summary>
    LogNormal,

    /// <summary>A gamma distribution fitted by maximum likelihood; needs positive scores (<see cref="GammaPValueModel"/>).</summary>
    Gamma,
}
