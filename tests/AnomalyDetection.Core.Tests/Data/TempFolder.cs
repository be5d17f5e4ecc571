using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Data;

/// <summary>A temporary folder tree for dataset tests, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("dataset-tests-").FullName;

    /// <summary>Writes a tiny gray PNG whose pixels are all <paramref name="value"/>.</summary>
    public string Png(string relativePath, float value = 0.5f, int size = 2, int channels = 1)
    {
        var path = Prepare(relativePath);
        ImageIO.SavePng(ImageData.FromPlanar(size, size, channels, [.. Enumerable.Repeat(value, size * size * channels)]), path);
        return path;
    }

    public string File(string relativePath, string content = "")
    {
        var path = Prepare(relativePath);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Folder(string relativePath) => Directory.CreateDirectory(Path.Combine(Root, relativePath)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string Prepare(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
