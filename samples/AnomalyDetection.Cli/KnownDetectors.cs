using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AnomalyDetection.Applications;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Cli;

/// <summary>The detector kinds the tool knows: how to build one from settings and how to read its model files.</summary>
internal static class KnownDetectors
{
    /// <summary>The kinds accepted by <c>--detector</c>.</summary>
    public static readonly string[] Kinds = [.. BuiltInDetectors.Catalog.Kinds];

    /// <summary>Reads <c>--detector</c>: any letter case names a kind (<c>SAGAN</c> is <c>sagan</c>).</summary>
    public static string? ParseKind(ArgumentResult result)
    {
        var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : SaganDetector.DetectorKind;
        var kind = BuiltInDetectors.Catalog.Find(value, StringComparison.OrdinalIgnoreCase)?.Kind;
        if (kind is null)
        {
            result.AddError(UnknownKind(value));
        }

        return kind;
    }

    /// <summary>Builds an untrained detector. Without an options file the tool starts from small settings that train
    /// in minutes on two cores (see <see cref="TrainingProfiles"/>); with one, every value not in the file keeps the library default.</summary>
    /// <exception cref="CliException">The options file is missing or malformed, or the settings are invalid.</exception>
    public static (IAnomalyDetector Detector, DetectorOptions Options) Create(TrainingSettings settings)
    {
        var descriptor = BuiltInDetectors.Catalog.Find(settings.Kind) ?? throw new CliException(UnknownKind(settings.Kind));
        try
        {
            var options = settings.OptionsFile is { } file ? ReadOptions(descriptor.OptionsType, file) : TrainingProfiles.SmallOptions(descriptor);
            TrainingProfiles.ApplyFlags(descriptor, options, settings);
            return (descriptor.Create(options), options);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Reads a trained detector of whatever kind the file holds.</summary>
    /// <exception cref="CliException">The file is missing, damaged or of an unknown kind.</exception>
    public static async Task<IAnomalyDetector> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var manifest = (await ReadAsync(path, cancellationToken)).Manifest;
        var descriptor = BuiltInDetectors.Catalog.Find(manifest.Kind)
            ?? throw new CliException($"Model file '{path}' holds a '{manifest.Kind}' detector, which this tool does not know (it knows {string.Join(", ", Kinds)}).");
        try
        {
            return await descriptor.LoadAsync(path, cancellationToken: cancellationToken);
        }
        catch (InvalidModelFileException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Reads a model file's manifest and weights.</summary>
    /// <exception cref="CliException">The file is missing or not a valid model file.</exception>
    public static async Task<(ModelManifest Manifest, IReadOnlyDictionary<string, TorchSharp.torch.Tensor> Weights)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"Model file '{path}' does not exist.");
        }

        try
        {
            return await ModelFile.ReadAsync(path, cancellationToken: cancellationToken);
        }
        catch (InvalidModelFileException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static string UnknownKind(string kind) => $"Unknown detector '{kind}'; use one of: {string.Join(", ", Kinds)}.";

    /// <summary>Reads a JSON options file into <paramref name="optionsType"/>, refusing options the type lacks.</summary>
    private static DetectorOptions ReadOptions(Type optionsType, string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"Options file '{path}' does not exist.");
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject json)
            {
                throw new CliException($"Options file '{path}' must hold a JSON object such as {{ \"iterations\": 1000 }}.");
            }

            // The preprocessing block has the form a model file stores (and `info` prints); it is not an options property.
            var preprocessingKey = json.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, "preprocessing", StringComparison.OrdinalIgnoreCase));
            PreprocessingPipeline? preprocessing = null;
            if (preprocessingKey is not null)
            {
                preprocessing = PreprocessingPipeline.FromJson(json[preprocessingKey]?.ToJsonString() ?? "null");
                json.Remove(preprocessingKey);
            }

            var known = optionsType.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && p.Name != nameof(DetectorOptions.Preprocessing))
                .Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = json.Select(p => p.Key).Where(k => !known.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                // A misspelt option would otherwise train with its default, silently (SAGAN's default is 100 000 iterations).
                throw new CliException($"Options file '{path}' has unknown option(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; " +
                    $"the options are: {string.Join(", ", known.Order(StringComparer.Ordinal).Select(JsonNamingPolicy.CamelCase.ConvertName))}, preprocessing (see docs/configuration.md).");
            }

            var options = (DetectorOptions?)json.Deserialize(optionsType, StrictJson)
                ?? throw new CliException($"Options file '{path}' is empty (write a JSON object such as {{ \"iterations\": 1000 }}).");
            options.Preprocessing = preprocessing;
            return options;
        }
        catch (JsonException ex)
        {
            throw new CliException($"Options file '{path}' is not valid JSON options: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"Options file '{path}' has an invalid preprocessing block: {ex.Message}");
        }
    }

    /// <summary>The model files' JSON settings, refusing members that no option matches (in nested objects too).</summary>
    private static readonly JsonSerializerOptions StrictJson = new(ModelFile.JsonOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
}
