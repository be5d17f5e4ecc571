namespace AnomalyDetection.Cli;

/// <summary>The <c>--out</c> folder of <c>predict</c> and <c>evaluate</c>, checked before any image is scored, so a
/// bad path costs nothing and never surfaces as an <see cref="IOException"/> after the work is done.</summary>
/// <remarks>The folder is only created when there is something to write (<see cref="Create"/>), so inputs that turn
/// out bad leave no empty folder behind.</remarks>
internal static class OutputFolder
{
    /// <summary>Checks that the folder exists and is writable, or that it can be created: the path is no file and
    /// lies under no file, and a probe file can be made in it or, when it is missing, in its nearest existing
    /// ancestor. Nothing is left behind.</summary>
    /// <param name="path">The folder asked for.</param>
    /// <param name="option">The option's name, for the message.</param>
    /// <returns>The folder's full path.</returns>
    /// <exception cref="CliException">The path is a file, lies under a file, or cannot be written.</exception>
    public static string Check(string path, string option)
    {
        var folder = Path.GetFullPath(path);
        if (File.Exists(folder))
        {
            throw new CliException($"{option} '{folder}' is a file; give a folder for the results.");
        }

        var existing = folder;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                break;
            }

            if (File.Exists(parent))
            {
                throw new CliException($"{option} '{folder}' cannot be created: '{parent}' is a file, not a folder.");
            }

            existing = parent;
        }

        Guard(folder, option, () =>
        {
            var probe = Path.Combine(existing, $".anomaly-detect-write-check-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        });
        return folder;
    }

    /// <summary>Creates the checked folder (and its parents) when missing, just before the first file is written.</summary>
    /// <param name="folder">A path returned by <see cref="Check"/>.</param>
    /// <param name="option">The option's name, for the message.</param>
    /// <exception cref="CliException">The folder cannot be created after all (it changed since the check).</exception>
    public static void Create(string folder, string option) => Guard(folder, option, () => Directory.CreateDirectory(folder));

    /// <summary>Runs one write of an output file, reporting a failure (a full disk, a folder in the way) in one line
    /// naming the file. The writes themselves are atomic, so the previous file stays whole.</summary>
    /// <param name="file">The file being written.</param>
    /// <param name="write">The write.</param>
    /// <exception cref="CliException">The write failed.</exception>
    public static async Task WriteAsync(string file, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write '{file}': permission denied.");
        }
        catch (IOException ex)
        {
            throw new CliException($"Cannot write '{file}': {ex.Message}");
        }
    }

    /// <summary>Removes a result file of an earlier run, if there is one.</summary>
    /// <param name="file">The file.</param>
    /// <exception cref="CliException">The file cannot be removed.</exception>
    public static void RemoveStale(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot remove the earlier run's '{file}': {ex.Message}");
        }
    }

    private static void Guard(string folder, string option, Action action)
    {
        try
        {
            action();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{folder}' is not writable (permission denied); choose another folder.");
        }
        catch (IOException ex)
        {
            throw new CliException($"{option} '{folder}' cannot be written: {ex.Message}");
        }
    }
}
