using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Reads <see cref="TemplateDetector"/> model files for <c>FromFile</c> registrations.</summary>
public sealed class TemplateModelLoader : IAnomalyModelLoader
{
    public string Kind => TemplateDetector.DetectorKind;

    public async Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await TemplateDetector.LoadAsync(stream, cancellationToken);
    }
}
