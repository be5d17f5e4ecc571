using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Evaluation;

/// <summary>The detector kinds the harness trains, by the name configurations use, plus the trivial baselines.</summary>
internal static class DetectorRegistry
{
    /// <summary>The kind of the trivial baselines, which score images without training.</summary>
    public const string Baseline = "baseline";

    // One entry per trainable kind: how to make its options and how to build the detector from them.
    private static readonly Dictionary<string, TrainableKind> Trainable = new(StringComparer.Ordinal)
    {
        ["sagan"] = new(() => new SaganOptions(), options => new SaganDetector((SaganOptions)options)),
        ["patchgan"] = new(() => new PatchGanOptions(), options => new PatchGanDetector((PatchGanOptions)options)),
        ["autoencoder"] = new(() => new AutoencoderOptions(), options => new AutoencoderDetector((AutoencoderOptions)options)),
    };

    /// <summary>Every kind the harness knows.</summary>
    public static IEnumerable<string> Kinds => Trainable.Keys.Append(Baseline);

    /// <summary>Fresh default options for <paramref name="kind"/>: a <see cref="DetectorOptions"/> subclass, or
    /// <see cref="BaselineOptions"/>.</summary>
    /// <exception cref="HarnessException">The kind is unknown.</exception>
    public static object CreateOptions(string kind) =>
        kind == Baseline ? new BaselineOptions() : Find(kind).CreateOptions();

    /// <summary>A new untrained detector of <paramref name="kind"/>.</summary>
    /// <exception cref="HarnessException">The kind is unknown.</exception>
    public static IAnomalyDetector CreateDetector(string kind, DetectorOptions options) => Find(kind).CreateDetector(options);

    private static TrainableKind Find(string kind) =>
        Trainable.TryGetValue(kind, out var entry)
            ? entry
            : throw new HarnessException($"unknown detector kind '{kind}'; known: {string.Join(", ", Kinds)}.");

    private sealed record TrainableKind(Func<DetectorOptions> CreateOptions, Func<DetectorOptions, IAnomalyDetector> CreateDetector);
}
