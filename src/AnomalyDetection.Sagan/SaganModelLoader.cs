using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Sagan;

/// <summary>Reads SAGAN model files for <c>FromFile</c> registrations; <c>AddSagan</c> registers it.</summary>
/// <param name="loggerFactory">Creates the loaded detectors' loggers; none when null.</param>
public sealed class SaganModelLoader(ILoggerFactory? loggerFactory = null) : IAnomalyModelLoader
{
    /// <inheritdoc/>
    public string Kind => SaganDetector.DetectorKind;

    /// <inheritdoc/>
    public async Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        await SaganDetector.LoadAsync(path, loggerFactory?.CreateLogger<SaganDetector>(), cancellationToken).ConfigureAwait(false);
}
