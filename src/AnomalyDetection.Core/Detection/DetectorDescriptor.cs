using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>
/// One detector kind as applications see it: the name model files store, the options type, and how to build an
/// untrained detector or read a trained one. Each detector assembly exposes one (for example
/// <c>SaganDetector.Descriptor</c>); dependency injection, the CLI, the hosting sample and the evaluation harness
/// enumerate descriptors instead of switching on kind names. Create one with
/// <see cref="DetectorDescriptor{TDetector, TOptions}"/>.
/// </summary>
public abstract class DetectorDescriptor
{
    /// <summary>Only <see cref="DetectorDescriptor{TDetector, TOptions}"/> derives from this class.</summary>
    private protected DetectorDescriptor()
    {
    }

    /// <summary>The kind stored in model files and named in configuration, such as <c>sagan</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The detector's options type, a <see cref="DetectorOptions"/> subclass.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>The detector type, which also names the category of the detector's logger.</summary>
    public abstract Type DetectorType { get; }

    /// <summary>Fresh options holding the library defaults.</summary>
    /// <returns>An instance of <see cref="OptionsType"/>.</returns>
    public abstract DetectorOptions CreateOptions();

    /// <summary>Builds an untrained detector.</summary>
    /// <param name="options">The settings, an instance of <see cref="OptionsType"/>.</param>
    /// <param name="loggerFactory">Creates the detector's logger; none when null.</param>
    /// <returns>The untrained detector.</returns>
    /// <exception cref="ArgumentException">The options are of another type, or invalid; the message quotes each bad value.</exception>
    public abstract IAnomalyDetector Create(DetectorOptions options, ILoggerFactory? loggerFactory = null);

    /// <summary>Reads a trained detector of this kind from a model file's bytes.</summary>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="loggerFactory">Creates the detector's logger; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The trained detector.</returns>
    /// <exception cref="AnomalyDetection.ModelFiles.InvalidModelFileException">The data is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    public abstract Task<IAnomalyDetector> LoadAsync(Stream source, string sourceName, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a trained detector of this kind from a model file.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="loggerFactory">Creates the detector's logger; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The trained detector.</returns>
    /// <exception cref="AnomalyDetection.ModelFiles.InvalidModelFileException">The file is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    public async Task<IAnomalyDetector> LoadAsync(string path, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await LoadAsync(stream, path, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Kind;

    /// <summary>Registers a named detector of this kind whose options are bound from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The builder.</returns>
    internal abstract IAnomalyDetectionBuilder Register(IAnomalyDetectionBuilder builder, string name, IConfiguration configuration);
}
