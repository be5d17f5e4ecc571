namespace Microsoft.Extensions.DependencyInjection;

internal sealed record AnomalyDetectionBuilder(IServiceCollection Services) : IAnomalyDetectionBuilder;
