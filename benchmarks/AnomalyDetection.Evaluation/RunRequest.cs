namespace AnomalyDetection.Evaluation;

/// <summary>What one <c>run</c> invocation asks for.</summary>
/// <param name="Dataset">The data set folder.</param>
/// <param name="Detector">The detector kind each configuration must be for.</param>
/// <param name="Configurations">The configuration names.</param>
/// <param name="Seeds">The seeds; every configuration runs once per seed.</param>
/// <param name="Overrides">Key=Value settings applied after each configuration's own.</param>
/// <param name="ResultsPath">The results file rows are appended to.</param>
/// <param name="Command">The command line recorded in each row.</param>
internal sealed record RunRequest(
    string Dataset,
    string Detector,
    IReadOnlyList<string> Configurations,
    IReadOnlyList<long> Seeds,
    IReadOnlyList<KeyValuePair<string, string>> Overrides,
    string ResultsPath,
    string Command);
