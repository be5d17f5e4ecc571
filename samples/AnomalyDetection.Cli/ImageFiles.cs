namespace AnomalyDetection.Cli;

/// <summary>Expands the image paths given on the command line.</summary>
internal static class ImageFiles
{
    private static readonly string[] Extensions = [".png", ".pgm", ".ppm"];

    /// <summary>Each file as given, and each folder's PNG, PGM and PPM files in name order.</summary>
    /// <exception cref="CliException">A path does not exist, or nothing was found.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new CliException($"'{path}' is neither an image file nor a folder.");
            }
        }

        return files.Count > 0 ? files : throw new CliException("No PNG, PGM or PPM images were found in the given paths.");
    }
}
