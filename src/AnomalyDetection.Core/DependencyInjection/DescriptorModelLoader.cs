using AnomalyDetection.Detection;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.DependencyInjection;

/// <summary>Reads one kind's model files for <c>FromFile</c> registrations through its descriptor.</summary>
/// <param name="descriptor">The detector kind.</param>
/// <param name="loggerFactory">Creates the loaded detectors' loggers; none when null.</param>
internal sealed class DescriptorModelLoader(DetectorDescriptor descriptor, ILoggerFactory? loggerFactory) : IAnomalyModelLoader
{
    public string Kind => descriptor.Kind;

    public Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        descriptor.LoadAsync(path, loggerFactory, cancellationToken);
}
