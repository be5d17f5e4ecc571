using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>The descriptor of one detector kind, typed by its detector and options.</summary>
/// <typeparam name="TDetector">The detector.</typeparam>
/// <typeparam name="TOptions">The detector's options.</typeparam>
/// <example><code>
/// public static DetectorDescriptor&lt;MyDetector, MyOptions&gt; Descriptor { get; } =
///     new("mine", (options, logger) =&gt; new MyDetector(options, logger), LoadAsync);
/// </code></example>
public sealed class DetectorDescriptor<TDetector, TOptions> : DetectorDescriptor
    where TDetector : class, IAnomalyDetector
    where TOptions : DetectorOptions, new()
{
    private readonly Func<TOptions, ILogger?, TDetector> _create;
    private readonly Func<Stream, string, ILogger?, CancellationToken, Task<TDetector>> _load;

    /// <summary>Describes a detector kind.</summary>
    /// <param name="kind">The kind stored in model files.</param>
    /// <param name="create">Builds an untrained detector from options and a logger (null for none).</param>
    /// <param name="load">Reads a trained detector from a model file's bytes, a source name for messages, a logger and a cancellation token.</param>
    public DetectorDescriptor(string kind, Func<TOptions, ILogger?, TDetector> create, Func<Stream, string, ILogger?, CancellationToken, Task<TDetector>> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(load);
        Kind = kind;
        _create = create;
        _load = load;
    }

    /// <inheritdoc/>
    public override string Kind { get; }

    /// <inheritdoc/>
    public override Type OptionsType => typeof(TOptions);

    /// <inheritdoc/>
    public override Type DetectorType => typeof(TDetector);

    /// <inheritdoc/>
    public override DetectorOptions CreateOptions() => new TOptions();

    /// <inheritdoc/>
    public override IAnomalyDetector Create(DetectorOptions options, ILoggerFactory? loggerFactory = null) =>
        Create(options as TOptions ?? throw new ArgumentException(
            $"A '{Kind}' detector takes {typeof(TOptions).Name}, not {options?.GetType().Name ?? "null"}.", nameof(options)), loggerFactory);

    /// <summary>Builds an untrained detector.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">Creates the detector's logger, named after <typeparamref name="TDetector"/>; none when null.</param>
    /// <returns>The untrained detector.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message quotes each bad value.</exception>
    public TDetector Create(TOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return _create(options, loggerFactory?.CreateLogger<TDetector>());
    }

    /// <inheritdoc/>
    public override async Task<IAnomalyDetector> LoadAsync(Stream source, string sourceName, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        return await _load(source, sourceName, loggerFactory?.CreateLogger<TDetector>(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    internal override IAnomalyDetectionBuilder Register(IAnomalyDetectionBuilder builder, string name, IConfiguration configuration) =>
        builder.AddDetector(this, name, configuration);
}
