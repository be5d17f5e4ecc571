using AnomalyDetection.PatchGan;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Patch-GAN detectors.</summary>
public static class PatchGanServiceCollectionExtensions
{
    /// <summary>Registers a named Patch-GAN detector, validated when the host starts, and the Patch-GAN model loader.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddAnomalyDetection().AddPatchGan("brain", o => { o.ImageSize = 64; o.Epochs = 50; });</code></example>
    public static IAnomalyDetectionBuilder AddPatchGan(this IAnomalyDetectionBuilder builder, string name, Action<PatchGanOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddModelLoader<PatchGanModelLoader>();
        return builder.AddDetector<PatchGanOptions>(name, configure, Create);
    }

    /// <summary>Registers a named Patch-GAN detector whose options are bound from configuration, and the Patch-GAN model loader.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options, such as <c>{ "ImageSize": 64, "Ranking": "Learned" }</c>.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddPatchGan(this IAnomalyDetectionBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddModelLoader<PatchGanModelLoader>();
        return builder.AddDetector<PatchGanOptions>(name, configuration, Create);
    }

    private static PatchGanDetector Create(IServiceProvider services, PatchGanOptions options) =>
        new(options, services.GetService<ILoggerFactory>()?.CreateLogger<PatchGanDetector>());
}
