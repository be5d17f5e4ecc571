using AnomalyDetection.Imaging;

namespace AnomalyDetection.Data;

/// <summary>File-system helpers shared by the folder readers.</summary>
internal static class DatasetFolder
{
    private static readonly HashSet<string> NotDecodable = new(StringComparer.OrdinalIgnoreCase) { ".bmp", ".tif", ".tiff", ".gif", ".webp" };

    /// <summary>Throws unless <paramref name="folder"/> exists, describing what it should hold.</summary>
    public static void Require(string folder, string purpose)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidDatasetException(folder, $"the folder is missing; it should hold {purpose}.");
        }
    }

    /// <summary>The decodable images directly in <paramref name="folder"/>, by ordinal file name; hidden files and
    /// non-image files (CSV, text) are skipped, image formats that cannot be decoded are an error. DICOM files without an
    /// extension count as images (see <see cref="ImageIO.IsImageFile"/>).</summary>
    public static List<string> ImageFiles(string folder)
    {
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            var extension = Path.GetExtension(file);
            if (name.StartsWith('.'))
            {
                continue;
            }

            RequireLinkEnds(file);

            if (NotDecodable.Contains(extension))
            {
                throw new InvalidDatasetException(file, $"'{extension}' images cannot be decoded; convert the dataset to PNG, PGM/PPM, JPEG or DICOM.");
            }

            if (ImageIO.IsImageFile(file))
            {
                files.Add(file);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Refuses a symbolic link that never reaches a file (a loop, or a chain too long to follow), naming it,
    /// rather than letting the first read of the image fail with an <see cref="IOException"/>.</summary>
    private static void RequireLinkEnds(string file)
    {
        try
        {
            _ = File.ResolveLinkTarget(file, returnFinalTarget: true);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new InvalidDatasetException(file, "it is a symbolic link that loops (it never reaches a file); remove or fix the link.");
        }
    }

    /// <summary><paramref name="path"/> relative to <paramref name="root"/>, with '/' separators on every platform.</summary>
    public static string RelativeName(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>Throws if any mask has no image, naming up to three of them.</summary>
    public static void RequireImagesForMasks(string maskFolder, IEnumerable<string> orphanMasks, string expectedImage)
    {
        var orphans = orphanMasks.ToList();
        if (orphans.Count > 0)
        {
            var shown = string.Join(", ", orphans.Take(3).Select(Path.GetFileName));
            var more = orphans.Count > 3 ? $" and {orphans.Count - 3} more" : string.Empty;
            throw new InvalidDatasetException(maskFolder, $"{orphans.Count} mask(s) have no image ({shown}{more}); each mask needs {expectedImage}.");
        }
    }
}
