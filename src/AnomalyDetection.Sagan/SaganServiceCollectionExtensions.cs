using AnomalyDetection.Sagan;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SAGAN detectors.</summary>
public static class SaganServiceCollectionExtensions
{
    /// <summary>
    /// Registers a named SAGAN detector, resolvable as a keyed <c>IAnomalyDetector</c> and through
    /// <c>IAnomalyDetectorProvider</c>, with options validated when the host starts; also registers the SAGAN kind, so
    /// that <c>FromFile</c> reads SAGAN model files.
    /// </summary>
    /// <param name="builder">The builder from <c>AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddAnomalyDetection().AddSagan("chest", o => { o.ConvDim = 16; o.MaxSteps = 1000; });</code></example>
    public static IAnomalyDetectionBuilder AddSagan(this IAnomalyDetectionBuilder builder, string name, Action<SaganOptions> configure) =>
        builder.AddDetector(SaganDetector.Descriptor, name, configure);

    /// <summary>Registers a named SAGAN detector whose options are bound from configuration.</summary>
    /// <param name="builder">The builder from <c>AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options, such as <c>{ "ConvDim": 16, "MaxSteps": 1000 }</c>.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddSagan(this IAnomalyDetectionBuilder builder, string name, IConfiguration configuration) =>
        builder.AddDetector(SaganDetector.Descriptor, name, configuration);
}
