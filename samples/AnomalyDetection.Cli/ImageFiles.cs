using AnomalyDetection.Imaging;

namespace AnomalyDetection.Cli;

/// <summary>Expands the image paths given on the command line.</summary>
internal static class ImageFiles
{
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
                    .Where(ImageIO.IsImageFile)
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

        return files.Count > 0 ? files : throw new CliException("No images (PNG, PGM, PPM, JPEG or DICOM) were found in the given paths.");
    }
}
