namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers named anomaly detectors; returned by <c>services.AddAnomalyDetection()</c>.</summary>
public interface IAnomalyDetectionBuilder
{
    /// <summary>The service collection detectors are added to.</summary>
    IServiceCollection Services { get; }
}
