using System.Collections.Concurrent;
using AnomalyDetection.Detection;

namespace AnomalyDetection.DependencyInjection;

internal sealed class AnomalyDetectorProvider : IAnomalyDetectorProvider
{
    private readonly IServiceProvider _services;
    private readonly Dictionary<string, DetectorRegistration> _registrations;
    private readonly ConcurrentDictionary<string, Lazy<IAnomalyDetector>> _instances = new(StringComparer.Ordinal);

    public AnomalyDetectorProvider(IServiceProvider services, IEnumerable<DetectorRegistration> registrations)
    {
        _services = services;
        _registrations = new Dictionary<string, DetectorRegistration>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            // The last registration of a name wins, as with options and services.
            _registrations[registration.Name] = registration;
        }
    }

    public IReadOnlyCollection<string> Names => _registrations.Keys;

    public IAnomalyDetector Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_registrations.TryGetValue(name, out var registration))
        {
            var known = _registrations.Count == 0 ? "none are registered" : "registered: " + string.Join(", ", _registrations.Keys.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
            throw new KeyNotFoundException($"No anomaly detector is registered as '{name}' ({known}).");
        }

        return _instances.GetOrAdd(name, _ => new Lazy<IAnomalyDetector>(() => registration.Create(_services))).Value;
    }
}
