using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers anomaly detectors in a service collection.</summary>
public static class AnomalyDetectionServiceCollectionExtensions
{
    /// <summary>Adds the detector provider; chain <c>.AddSagan(...)</c>, <c>.AddPatchGan(...)</c> or <c>.FromFile(...)</c> on the result.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for named detectors.</returns>
    /// <example><code>services.AddAnomalyDetection().AddSagan("chest", o => o.ImageSize = 64);</code></example>
    public static IAnomalyDetectionBuilder AddAnomalyDetection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton<IAnomalyDetectorProvider, AnomalyDetectorProvider>();
        services.TryAddSingleton(provider => new DetectorCatalog(provider.GetServices<DetectorDescriptor>()));
        return new AnomalyDetectionBuilder(services);
    }

    /// <summary>
    /// Registers a named detector built from named options: validated when the host starts, resolvable as a keyed
    /// <see cref="IAnomalyDetector"/> and through <see cref="IAnomalyDetectorProvider"/>. Detector assemblies call this
    /// from their own <c>AddXxx</c> methods.
    /// </summary>
    /// <typeparam name="TOptions">The detector's options.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="create">Builds the detector from the services and the validated options.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddDetector<TOptions>(
        this IAnomalyDetectionBuilder builder, string name, Action<TOptions> configure, Func<IServiceProvider, TOptions, IAnomalyDetector> create)
        where TOptions : DetectorOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.AddOptions<TOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, DetectorOptionsValidator<TOptions>>());
        return builder.AddRegistration(name, sp => create(sp, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
    }

    /// <summary>Registers a named detector whose options are bound from configuration.</summary>
    /// <typeparam name="TOptions">The detector's options.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <param name="create">Builds the detector from the services and the validated options.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddDetector<TOptions>(
        this IAnomalyDetectionBuilder builder, string name, IConfiguration configuration, Func<IServiceProvider, TOptions, IAnomalyDetector> create)
        where TOptions : DetectorOptions
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddDetector<TOptions>(name, configuration.Bind, create);
    }

    /// <summary>
    /// Registers a trained detector read from a model file on first use; the file's kind selects the loader, so the
    /// detector's kind must be registered (by any <c>AddSagan</c>-style call, or <c>AddDetectorKind</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="path">The model file.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder FromFile(this IAnomalyDetectionBuilder builder, string name, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.AddRegistration(name, sp =>
        {
            // Service resolution is synchronous; the file is read once, on first use of this name.
            var kind = ModelFile.ReadAsync(path).GetAwaiter().GetResult().Manifest.Kind;
            var loader = sp.GetServices<IAnomalyModelLoader>().LastOrDefault(l => l.Kind == kind)
                ?? throw new InvalidOperationException($"Model file '{path}' holds a '{kind}' detector, but no loader for that kind is registered (add the detector's package and its Add method).");
            return loader.LoadAsync(path).GetAwaiter().GetResult();
        });
    }

    /// <summary>Registers the loader for one detector kind, so <see cref="FromFile"/> can read its model files.</summary>
    /// <typeparam name="TLoader">The loader.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAnomalyDetectionBuilder AddModelLoader<TLoader>(this IAnomalyDetectionBuilder builder)
        where TLoader : class, IAnomalyModelLoader
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnomalyModelLoader, TLoader>());
        return builder;
    }

    private static IAnomalyDetectionBuilder AddRegistration(this IAnomalyDetectionBuilder builder, string name, Func<IServiceProvider, IAnomalyDetector> create)
    {
        builder.Services.AddSingleton(new DetectorRegistration(name, create));
        builder.Services.AddKeyedSingleton<IAnomalyDetector>(name, (sp, key) => sp.GetRequiredService<IAnomalyDetectorProvider>().Get((string)key!));
        return builder;
    }
}
