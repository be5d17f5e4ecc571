using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers detectors through their kinds' <see cref="DetectorDescriptor"/>s: the one path every detector assembly's <c>AddXxx</c> method takes.</summary>
public static class DetectorDescriptorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a detector kind once: its descriptor joins the <see cref="DetectorCatalog"/> service, and
    /// <c>FromFile</c> can read its model files. Registering a named detector of the kind does this too.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The detector kind.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddDetectorKind(this IAnomalyDetectionBuilder builder, DetectorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(descriptor);
        var registered = builder.Services.Any(s => s.ServiceType == typeof(DetectorDescriptor) && !s.IsKeyedService
            && s.ImplementationInstance is DetectorDescriptor known && known.Kind == descriptor.Kind);
        if (!registered)
        {
            builder.Services.AddSingleton(descriptor);
            builder.Services.AddSingleton<IAnomalyModelLoader>(services => new DescriptorModelLoader(descriptor, services.GetService<ILoggerFactory>()));
        }

        return builder;
    }

    /// <summary>Registers a named detector of the descriptor's kind, validated when the host starts, and the kind itself (see <see cref="AddDetectorKind"/>).</summary>
    /// <typeparam name="TDetector">The detector.</typeparam>
    /// <typeparam name="TOptions">The detector's options.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The detector kind.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <example><code>services.AddAnomalyDetection().AddDetector(MyDetector.Descriptor, "chest", o => o.ImageSize = 32);</code></example>
    public static IAnomalyDetectionBuilder AddDetector<TDetector, TOptions>(
        this IAnomalyDetectionBuilder builder, DetectorDescriptor<TDetector, TOptions> descriptor, string name, Action<TOptions> configure)
        where TDetector : class, IAnomalyDetector
        where TOptions : DetectorOptions, new()
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return builder.AddDetectorKind(descriptor)
            .AddDetector<TOptions>(name, configure, (services, options) => descriptor.Create(options, services.GetService<ILoggerFactory>()));
    }

    /// <summary>Registers a named detector of the descriptor's kind whose options are bound from configuration.</summary>
    /// <typeparam name="TDetector">The detector.</typeparam>
    /// <typeparam name="TOptions">The detector's options.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The detector kind.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddDetector<TDetector, TOptions>(
        this IAnomalyDetectionBuilder builder, DetectorDescriptor<TDetector, TOptions> descriptor, string name, IConfiguration configuration)
        where TDetector : class, IAnomalyDetector
        where TOptions : DetectorOptions, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddDetector(descriptor, name, configuration.Bind);
    }

    /// <summary>
    /// Registers a named detector of a kind chosen at run time (for example from a configuration's <c>Kind</c> value)
    /// whose options are bound from configuration.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The detector kind, typically found in a <see cref="DetectorCatalog"/>.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddDetector(this IAnomalyDetectionBuilder builder, DetectorDescriptor descriptor, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Register(builder, name, configuration);
    }
}
