using System.Text.Json;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli;

/// <summary>Writes the tool's JSON results, in the same style as model-file manifests.</summary>
internal static class Json
{
    public static async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var stream = File.Create(path);
        await using (stream)
        {
            await JsonSerializer.SerializeAsync(stream, value, ModelFile.JsonOptions, cancellationToken);
        }
    }
}
