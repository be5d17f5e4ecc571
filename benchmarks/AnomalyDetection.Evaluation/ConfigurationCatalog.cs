using System.Text.Json;

namespace AnomalyDetection.Evaluation;

/// <summary>The named configurations of a JSON file: an object mapping each name to
/// <c>{ "detector": ..., "preprocessing": ..., "options": { Key: value }, "pool": { ... }, "description": ... }</c>.</summary>
internal sealed class ConfigurationCatalog
{
    /// <summary>The configuration file of the repository, relative to its root.</summary>
    public const string DefaultPath = "benchmarks/configurations.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, BenchmarkConfiguration> _configurations;

    private ConfigurationCatalog(string source, Dictionary<string, BenchmarkConfiguration> configurations)
    {
        Source = source;
        _configurations = configurations;
    }

    /// <summary>Where the configurations were read from.</summary>
    public string Source { get; }

    /// <summary>Every configuration name, in file order.</summary>
    public IReadOnlyCollection<string> Names => _configurations.Keys;

    /// <summary>Reads a configuration file.</summary>
    /// <exception cref="HarnessException">The file is missing or malformed.</exception>
    public static ConfigurationCatalog Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new HarnessException($"Configuration file '{path}' does not exist.");

    /// <summary>Parses configuration JSON.</summary>
    /// <param name="json">The file content.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <exception cref="HarnessException">The JSON is malformed, or an entry lacks its detector or has an unknown field.</exception>
    public static ConfigurationCatalog Parse(string json, string source)
    {
        Dictionary<string, Entry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new HarnessException($"Configuration file '{source}' is not valid: {ex.Message}");
        }

        var configurations = new Dictionary<string, BenchmarkConfiguration>(StringComparer.Ordinal);
        foreach (var (name, entry) in entries ?? [])
        {
            if (string.IsNullOrWhiteSpace(entry.Detector))
            {
                throw new HarnessException($"Configuration '{name}' in '{source}' names no detector.");
            }

            var options = (entry.Options ?? []).ToDictionary(
                pair => pair.Key,
                pair => pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText(),
                StringComparer.Ordinal);
            configurations[name] = new BenchmarkConfiguration(name, entry.Detector, entry.Preprocessing ?? PreprocessingChoice.Default, options, entry.Pool);
        }

        return new ConfigurationCatalog(source, configurations);
    }

    /// <summary>The configuration called <paramref name="name"/>, checked against its detector kind.</summary>
    /// <exception cref="HarnessException">No configuration has that name, or its detector, preprocessing or a setting is unknown.</exception>
    public BenchmarkConfiguration Get(string name)
    {
        if (!_configurations.TryGetValue(name, out var configuration))
        {
            throw new HarnessException($"Unknown configuration '{name}' in '{Source}'; known: {string.Join(", ", Names)}.");
        }

        try
        {
            var options = DetectorRegistry.CreateOptions(configuration.Detector);
            OptionsBinder.Apply(options, configuration.Options);
            if (configuration.Detector != DetectorRegistry.Baseline)
            {
                PreprocessingChoice.Require(configuration.Preprocessing);
            }
        }
        catch (HarnessException ex)
        {
            throw new HarnessException($"Configuration '{name}' in '{Source}': {ex.Message}");
        }

        return configuration;
    }

    // The description documents the file only.
    private sealed record Entry(string Detector, string? Preprocessing, Dictionary<string, JsonElement>? Options, PoolSettings? Pool, string? Description);
}
