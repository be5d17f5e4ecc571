using System.IO.Compression;
using System.Text.Json.Nodes;

namespace AnomalyDetection.Cli.Tests;

/// <summary>Copies a model file with one section of its manifest's calibration replaced, as a damaged or forged file
/// would hold it.</summary>
internal static class ModelForgery
{
    /// <summary>Writes <paramref name="destination"/>: <paramref name="model"/> with <c>calibration.<paramref name="section"/></c>
    /// replaced by <paramref name="json"/>, kept as written (so 1e400 reaches the reader as 1e400).</summary>
    public static string WithCalibrationSection(string model, string section, string json, string destination)
    {
        const string Placeholder = "forged-calibration-section";
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(model, destination);
        using var zip = ZipFile.Open(destination, ZipArchiveMode.Update);
        var entry = zip.GetEntry("manifest.json")!;
        string manifest;
        using (var reader = new StreamReader(entry.Open()))
        {
            manifest = reader.ReadToEnd();
        }

        var root = JsonNode.Parse(manifest)!;
        root["calibration"]![section] = JsonValue.Create(Placeholder);
        var forged = root.ToJsonString().Replace($"\"{Placeholder}\"", json, StringComparison.Ordinal);
        entry.Delete();
        using (var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open()))
        {
            writer.Write(forged);
        }

        return destination;
    }
}
