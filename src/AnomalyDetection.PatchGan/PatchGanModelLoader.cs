using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.PatchGan;

/// <summary>Reads Patch-GAN model files for <c>FromFile</c> registrations; <c>AddPatchGan</c> registers it.</summary>
/// <param name="loggerFactory">Creates the loaded detectors' loggers; none when null.</param>
public sealed class PatchGanModelLoader(ILoggerFactory? loggerFactory = null) : IAnomalyModelLoader
{
    /// <inheritdoc/>
    public string Kind => PatchGanDetector.DetectorKind;

    /// <inheritdoc/>
    public async Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        await PatchGanDetector.LoadAsync(path, loggerFactory?.CreateLogger<PatchGanDetector>(), cancellationToken).ConfigureAwait(false);
}
