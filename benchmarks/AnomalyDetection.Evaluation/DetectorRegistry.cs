using AnomalyDetection.Applications;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Evaluation;

/// <summary>The detector kinds the harness trains, by the name configurations use, plus the trivial baselines.</summary>
internal static class DetectorRegistry
{
    /// <summary>The kind of the trivial baselines, which score images without training.</summary>
    public const string Baseline = "baseline";

    /// <summary>Every kind the harness knows.</summary>
    public static IEnumerable<string> Kinds => BuiltInDetectors.Catalog.Kinds.Append(Baseline);

    /// <summary>Fresh default options for <paramref name="kind"/>: a <see cref="DetectorOptions"/> subclass, or
    /// <see cref="BaselineOptions"/>.</summary>
    /// <exception cref="HarnessException">The kind is unknown.</exception>
    public static object CreateOptions(string kind) =>
        kind == Baseline ? new BaselineOptions() : Find(kind).CreateOptions();

    /// <summary>A new untrained detector of <paramref name="kind"/>.</summary>
    /// <exception cref="HarnessException">The kind is unknown.</exception>
    public static IAnomalyDetector CreateDetector(string kind, DetectorOptions options) => Find(kind).Create(options);

    private static DetectorDescriptor Find(string kind) =>
        BuiltInDetectors.Catalog.Find(kind) ?? throw new HarnessException($"unknown detector kind '{kind}'; known: {string.Join(", ", Kinds)}.");
}
