using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using AnomalyDetection.Engine;
using AnomalyDetection.Serialization;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.ModelFiles;

/// <summary>
/// Reads and writes model files: a zip holding <c>manifest.json</c> (<see cref="ModelManifest"/>) and
/// <c>weights.safetensors</c> (name-keyed float32 tensors, readable by PyTorch users).
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes and the only one it reads: 2, the TorchSharp engine's.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>
    /// How many times its compressed size an entry may expand to when it is larger than
    /// <see cref="MinEntryLimitBytes"/>. Trained float32 weights compress by about 1.1×; a forged deflate stream
    /// expands by up to about 1 000×, so a larger expansion marks a damaged or forged file.
    /// </summary>
    public const int MaxCompressionRatio = 32;

    /// <summary>
    /// Entries up to this size (64 MiB) are read at any compression ratio: small models with many zero or constant
    /// weights compress well, and a bound this size costs little memory.
    /// </summary>
    public const long MinEntryLimitBytes = 64L << 20;

    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.safetensors";

    /// <summary>The JSON settings used for manifests and everything embedded in them.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The version of this library, as written into manifests.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Writes a model file to <paramref name="destination"/>.</summary>
    /// <param name="destination">The stream to write.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="weights">The weights, by name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(Stream destination, ModelManifest manifest, IReadOnlyDictionary<string, Tensor> weights, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(weights);

        // The zip is assembled in memory (model files are tens of megabytes at most), then written asynchronously.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
            {
                JsonSerializer.Serialize(entry, manifest, JsonOptions);
            }

            await using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
            {
                SafeTensors.Save(entry, weights);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a model file to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to write; any previous file stays intact if the write fails.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="weights">The weights, by name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task WriteAsync(string path, ModelManifest manifest, IReadOnlyDictionary<string, Tensor> weights, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, stream => WriteAsync(stream, manifest, weights, cancellationToken), cancellationToken);

    /// <summary>Reads a model file, checking its structure and format version.</summary>
    /// <param name="source">The stream to read.</param>
    /// <param name="sourceName">The file name or description used in error messages.</param>
    /// <param name="expectedKind">When set, the detector kind the file must hold.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest and the weights.</returns>
    /// <exception cref="InvalidModelFileException">The file is truncated, not a model file, of another kind or of a newer
    /// format, an entry declares more than its expansion limit (<see cref="MaxCompressionRatio"/>), its calibration is
    /// invalid (see <see cref="ManifestCalibration.Read"/>), or its weights hold NaN or infinite values.</exception>
    public static async Task<(ModelManifest Manifest, IReadOnlyDictionary<string, Tensor> Weights)> ReadAsync(
        Stream source, string sourceName, string? expectedKind = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        try
        {
            using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
            var manifest = ReadManifest(zip, sourceName);
            if (manifest.FormatVersion == 1)
            {
                throw new InvalidModelFileException(sourceName,
                    $"it is a format-1 model file from the retired managed engine (library versions before 0.2); this library (version {LibraryVersion}) reads format {CurrentFormatVersion} only: train the model again.");
            }

            if (manifest.FormatVersion != CurrentFormatVersion)
            {
                throw new InvalidModelFileException(sourceName,
                    $"format version {manifest.FormatVersion} is not supported; this library (version {LibraryVersion}) reads format {CurrentFormatVersion} only.");
            }

            if (expectedKind is not null && !string.Equals(manifest.Kind, expectedKind, StringComparison.Ordinal))
            {
                throw new InvalidModelFileException(sourceName, $"it holds a '{manifest.Kind}' detector, not a '{expectedKind}' detector.");
            }

            var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidModelFileException(sourceName, $"the '{WeightsEntry}' entry is missing.");
            using var weightsStream = OpenBounded(weightsEntry, sourceName);
            var weights = SafeTensors.Load(weightsStream).Tensors;
            ThrowIfNotFinite(weights, sourceName);
            return (manifest, weights);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or JsonException or FormatException or NotSupportedException)
        {
            throw new InvalidModelFileException(sourceName, $"it is damaged or not a model file ({ex.Message})", ex);
        }
    }

    /// <summary>Reads a model file from <paramref name="path"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectedKind">When set, the detector kind the file must hold.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest and the weights.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidModelFileException">The file is not a valid model file of that kind.</exception>
    public static async Task<(ModelManifest Manifest, IReadOnlyDictionary<string, Tensor> Weights)> ReadAsync(
        string path, string? expectedKind = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, path, expectedKind, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens an entry whose declared size is at most the larger of <see cref="MinEntryLimitBytes"/> and
    /// <see cref="MaxCompressionRatio"/> × its compressed size, refusing a larger one before anything is decompressed.
    /// The zip reader never yields more than the declared size, so a bomb behind a forged small size is cut off there
    /// (and then fails to parse).
    /// </summary>
    private static Stream OpenBounded(ZipArchiveEntry entry, string sourceName)
    {
        var limit = Math.Max(MinEntryLimitBytes, entry.CompressedLength * MaxCompressionRatio);
        if (entry.Length > limit)
        {
            throw new InvalidModelFileException(sourceName,
                $"the '{entry.FullName}' entry declares {entry.Length} bytes from {entry.CompressedLength} compressed ones, more than the {limit}-byte limit "
                + $"(the larger of {MinEntryLimitBytes} bytes and {MaxCompressionRatio}× the compressed size); the file is damaged or forged.");
        }

        return entry.Open();
    }

    /// <summary>Refuses NaN or infinite weights, which would make every prediction NaN.</summary>
    private static void ThrowIfNotFinite(IReadOnlyDictionary<string, Tensor> weights, string sourceName)
    {
        foreach (var (name, tensor) in weights)
        {
            using var finite = tensor.isfinite();
            var bad = tensor.numel() - finite.count_nonzero().item<long>();
            if (bad > 0)
            {
                throw new InvalidModelFileException(sourceName, $"weight '{name}' holds {bad} NaN or infinite value(s); the model is broken.");
            }
        }
    }

    private static ModelManifest ReadManifest(ZipArchive zip, string sourceName)
    {
        var entry = zip.GetEntry(ManifestEntry) ?? throw new InvalidModelFileException(sourceName, $"the '{ManifestEntry}' entry is missing.");
        using var stream = OpenBounded(entry, sourceName);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(stream, JsonOptions)
            ?? throw new InvalidModelFileException(sourceName, "the manifest is empty.");
        if (string.IsNullOrEmpty(manifest.Kind))
        {
            throw new InvalidModelFileException(sourceName, "the manifest names no detector kind.");
        }

        // A missing section deserialises as an undefined element, which later reads would reject with an unrelated error.
        foreach (var (name, section) in new[] { ("options", manifest.Options), ("preprocessing", manifest.Preprocessing), ("calibration", manifest.Calibration) })
        {
            if (section.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidModelFileException(sourceName, $"the manifest's '{name}' must be a JSON object, but it is {section.ValueKind}.");
            }
        }

        // Checked here rather than where a detector is built, so that every reader (info, a library user) refuses a
        // degenerate calibration (an empty score range, an infinite threshold) alike, naming the field.
        _ = ManifestCalibration.Read(manifest.Calibration, sourceName);
        return manifest;
    }
}
