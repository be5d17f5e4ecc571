using AnomalyDetection.Imaging;

namespace AnomalyDetection.Cli;

/// <summary>Expands the image paths given on the command line.</summary>
internal static class ImageFiles
{
    /// <summary>Each file as given, and each folder's PNG, PGM and PPM files in name order.</summary>
    /// <exception cref="CliException">A path does not exist, is a symbolic link that loops, or nothing was found.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            RequireLinkEnds(path);
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
                {
                    // Checked before IsImageFile, which opens extensionless files to look for a DICOM preamble.
                    RequireLinkEnds(file);
                    if (ImageIO.IsImageFile(file))
                    {
                        files.Add(file);
                    }
                }
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

    /// <summary>Refuses a symbolic link that never reaches a file (a loop, or a chain too long to follow), which would
    /// otherwise fail only when the image is read, with an <see cref="IOException"/>.</summary>
    private static void RequireLinkEnds(string path)
    {
        try
        {
            _ = File.ResolveLinkTarget(path, returnFinalTarget: true);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            // A missing path is not a loop: it is reported as missing by the caller.
            throw new CliException($"'{path}' is a symbolic link that loops (it never reaches a file); remove or fix the link.");
        }
    }
}
