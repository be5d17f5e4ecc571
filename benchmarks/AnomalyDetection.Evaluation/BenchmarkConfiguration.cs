namespace AnomalyDetection.Evaluation;

/// <summary>One named configuration of <c>benchmarks/configurations.json</c>.</summary>
/// <param name="Name">The name rows are filed under.</param>
/// <param name="Detector">The detector kind (see <see cref="DetectorRegistry"/>).</param>
/// <param name="Preprocessing">The preprocessing choice (see <see cref="PreprocessingChoice"/>); ignored by baselines.</param>
/// <param name="Options">Settings applied by name onto the kind's options class.</param>
/// <param name="Pool">For semi-supervised detectors, where the unlabeled pool comes from; null for none.</param>
internal sealed record BenchmarkConfiguration(
    string Name,
    string Detector,
    string Preprocessing,
    IReadOnlyDictionary<string, string> Options,
    PoolSettings? Pool);
