namespace AnomalyDetection.Detection;

/// <summary>
/// The detector kinds an application knows, in the order it lists them: built from the descriptors it registers
/// explicitly, never by scanning assemblies.
/// </summary>
/// <example><code>var catalog = new DetectorCatalog(SaganDetector.Descriptor, PatchGanDetector.Descriptor);</code></example>
public sealed class DetectorCatalog
{
    /// <summary>Lists detector kinds.</summary>
    /// <param name="descriptors">The descriptors, each kind once.</param>
    /// <exception cref="ArgumentException">Two descriptors share a kind.</exception>
    public DetectorCatalog(params IEnumerable<DetectorDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        Descriptors = [.. descriptors];
        var repeated = Descriptors.GroupBy(d => d.Kind, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"The detector kind '{repeated.Key}' is listed more than once.", nameof(descriptors));
        }

        Kinds = [.. Descriptors.Select(d => d.Kind)];
    }

    /// <summary>The descriptors, in the order given.</summary>
    public IReadOnlyList<DetectorDescriptor> Descriptors { get; }

    /// <summary>The kind names, in the order given.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The descriptor of <paramref name="kind"/>, or null when the catalog lacks it.</summary>
    /// <param name="kind">The kind name.</param>
    /// <param name="comparison">How names compare; exact by default.</param>
    /// <returns>The descriptor, or null.</returns>
    public DetectorDescriptor? Find(string? kind, StringComparison comparison = StringComparison.Ordinal) =>
        kind is null ? null : Descriptors.FirstOrDefault(d => string.Equals(d.Kind, kind, comparison));
}
