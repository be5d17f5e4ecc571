namespace AnomalyDetection.Serialization;

/// <summary>Replaces a file only once its new content is complete and on disk: writes a temporary file in the same
/// folder (so the rename stays on one volume), flushes it through to the disk, then renames it over the target.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically: readers see the old content or all of the new, never a mix.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole new content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        var (target, temporary) = Paths(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> atomically and asynchronously; on failure or cancellation the target is untouched.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole new content to the stream it is given.</param>
    /// <param name="cancellationToken">Cancels the write before the rename.</param>
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var (target, temporary) = Paths(path);
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>Removes a leftover temporary file without masking the error that caused the cleanup.</summary>
    private static void DeleteQuietly(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The original failure matters more than a stray temporary file.
        }
    }

    private static (string Target, string Temporary) Paths(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' does not name a file.", nameof(path));
        Directory.CreateDirectory(folder);
        return (target, Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp"));
    }
}
