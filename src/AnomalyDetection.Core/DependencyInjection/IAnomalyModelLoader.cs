using AnomalyDetection.Detection;

namespace AnomalyDetection.DependencyInjection;

/// <summary>Loads trained model files of one detector kind; each detector assembly registers one.</summary>
public interface IAnomalyModelLoader
{
    /// <summary>The kind this loader reads, as stored in model files.</summary>
    string Kind { get; }

    /// <summary>Reads a trained detector from a model file.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken = default);
}
