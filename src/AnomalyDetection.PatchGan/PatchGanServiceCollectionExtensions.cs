using AnomalyDetection.PatchGan;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Patch-GAN detectors.</summary>
public static class PatchGanServiceCollectionExtensions
{
    /// <summary>Registers a named Patch-GAN detector, validated when the host starts, and the Patch-GAN kind, so that <c>FromFile</c> reads its model files.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddAnomalyDetection().AddPatchGan("brain", o => { o.ImageSize = 64; o.Epochs = 50; });</code></example>
    public static IAnomalyDetectionBuilder AddPatchGan(this IAnomalyDetectionBuilder builder, string name, Action<PatchGanOptions> configure) =>
        builder.AddDetector(PatchGanDetector.Descriptor, name, configure);

    /// <summary>Registers a named Patch-GAN detector whose options are bound from configuration, and the Patch-GAN kind.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options, such as <c>{ "ImageSize": 64, "Ranking": "Learned" }</c>.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddPatchGan(this IAnomalyDetectionBuilder builder, string name, IConfiguration configuration) =>
        builder.AddDetector(PatchGanDetector.Descriptor, name, configuration);
}
