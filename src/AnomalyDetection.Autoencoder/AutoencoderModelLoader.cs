using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Autoencoder;

/// <summary>Reads autoencoder model files for <c>FromFile</c> registrations; <c>AddAutoencoder</c> registers it.</summary>
/// <param name="loggerFactory">Creates the loaded detectors' loggers; none when null.</param>
public sealed class AutoencoderModelLoader(ILoggerFactory? loggerFactory = null) : IAnomalyModelLoader
{
    /// <inheritdoc/>
    public string Kind => AutoencoderDetector.DetectorKind;

    /// <inheritdoc/>
    public async Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        await AutoencoderDetector.LoadAsync(path, loggerFactory?.CreateLogger<AutoencoderDetector>(), cancellationToken).ConfigureAwait(false);
}
