using AnomalyDetection.Autoencoder;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers convolutional autoencoder detectors.</summary>
public static class AutoencoderServiceCollectionExtensions
{
    /// <summary>Registers a named autoencoder detector, validated when the host starts, and the autoencoder kind, so that <c>FromFile</c> reads its model files.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddAnomalyDetection().AddAutoencoder("chest", o => { o.ImageSize = 28; o.Epochs = 50; });</code></example>
    public static IAnomalyDetectionBuilder AddAutoencoder(this IAnomalyDetectionBuilder builder, string name, Action<AutoencoderOptions> configure) =>
        builder.AddDetector(AutoencoderDetector.Descriptor, name, configure);

    /// <summary>Registers a named autoencoder detector whose options are bound from configuration, and the autoencoder kind.</summary>
    /// <param name="builder">The builder from <c>services.AddAnomalyDetection()</c>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options, such as <c>{ "ImageSize": 28, "Loss": "L1" }</c>.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddAutoencoder(this IAnomalyDetectionBuilder builder, string name, IConfiguration configuration) =>
        builder.AddDetector(AutoencoderDetector.Descriptor, name, configuration);
}
