using AnomalyDetection.Detection;

namespace AnomalyDetection.DependencyInjection;

/// <summary>One named detector: how to build it on first use.</summary>
internal sealed record DetectorRegistration(string Name, Func<IServiceProvider, IAnomalyDetector> Create);
