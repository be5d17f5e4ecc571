using AnomalyDetection.Detection;

namespace AnomalyDetection.DependencyInjection;

/// <summary>Resolves registered detectors by name. Each name gives one shared instance.</summary>
public interface IAnomalyDetectorProvider
{
    /// <summary>The registered names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The detector registered as <paramref name="name"/>, built on first use.</summary>
    /// <param name="name">The registration name.</param>
    /// <exception cref="KeyNotFoundException">No detector has that name; the message lists the names that exist.</exception>
    IAnomalyDetector Get(string name);
}
