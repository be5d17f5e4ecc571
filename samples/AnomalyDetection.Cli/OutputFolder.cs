namespace AnomalyDetection.Cli;

/// <summary>The <c>--out</c> folder of <c>predict</c> and <c>evaluate</c>, checked before any image is scored, so a
/// bad path costs nothing and never surfaces as an <see cref="IOException"/> after the work is done.</summary>
internal static class OutputFolder
{
    /// <summary>Creates the folder (and its parents) when missing and proves it writable by creating and removing a
    /// probe file. Call it only once the inputs and the model are known to be good, so that failing inputs leave no
    /// empty folder behind.</summary>
    /// <param name="path">The folder asked for.</param>
    /// <param name="option">The option's name, for the message.</param>
    /// <returns>The folder's full path.</returns>
    /// <exception cref="CliException">The path is a file, lies under a file, or the folder cannot be written.</exception>
    public static string Prepare(string path, string option)
    {
        var folder = Path.GetFullPath(path);
        if (File.Exists(folder))
        {
            throw new CliException($"{option} '{folder}' is a file; give a folder for the results.");
        }

        if (FileAncestor(folder) is { } file)
        {
            throw new CliException($"{option} '{folder}' cannot be created: '{file}' is a file, not a folder.");
        }

        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".anomaly-detect-write-check-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{folder}' is not writable (permission denied); choose another folder.");
        }
        catch (IOException ex)
        {
            throw new CliException($"{option} '{folder}' cannot be written: {ex.Message}");
        }

        return folder;
    }

    /// <summary>The nearest existing ancestor of <paramref name="folder"/> when it is a file, else null.</summary>
    private static string? FileAncestor(string folder)
    {
        for (var parent = Path.GetDirectoryName(folder); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return parent;
            }

            if (Directory.Exists(parent))
            {
                return null;
            }
        }

        return null;
    }
}
