using System.Text.Json;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Serialization;

namespace AnomalyDetection.Cli;

/// <summary>Writes the tool's JSON results, in the same style as model-file manifests.</summary>
internal static class Json
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically: through a temporary file in the
    /// same folder renamed over the target, so a failure (a full disk, Ctrl-C, a value that cannot be serialised)
    /// leaves the previous file intact instead of an empty or truncated one.</summary>
    public static Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, value, ModelFile.JsonOptions, cancellationToken), cancellationToken);
}
