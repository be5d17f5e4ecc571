namespace AnomalyDetection.Cli;

/// <summary>Checks, before training starts, that <c>train</c> can write its model file and checkpoints: a path that
/// cannot be written is otherwise only found after hours of training, when the model is lost with it.</summary>
internal static class TrainingOutputPaths
{
    /// <summary>Refuses a model path that names a folder, lies below a file or in a folder that cannot be written.</summary>
    /// <param name="path">The full path given to <c>--output</c>.</param>
    /// <exception cref="CliException">The path cannot take the model file; the message names it and the problem.</exception>
    public static void ThrowIfModelPathUnusable(string path)
    {
        if (Directory.Exists(path) || Path.GetFileName(path).Length == 0)
        {
            throw new CliException($"Output '{path}' is a folder; give --output the model file to write, such as '{Path.Combine(path, "model.adm")}'.");
        }

        ThrowIfFolderUnwritable(Path.GetDirectoryName(path)!, $"the model file '{path}'");
    }

    /// <summary>Refuses a checkpoint folder that is a file, lies below a file or cannot be written.</summary>
    /// <param name="folder">The full path given to <c>--checkpoints</c>.</param>
    /// <exception cref="CliException">The folder cannot take checkpoints; the message names it as the checkpoint folder.</exception>
    public static void ThrowIfCheckpointFolderUnusable(string folder)
    {
        if (File.Exists(folder))
        {
            throw new CliException($"Checkpoint folder '{folder}' is a file; give --checkpoints a folder (it is created when missing).");
        }

        ThrowIfFolderUnwritable(folder, $"checkpoints to the checkpoint folder '{folder}'");
    }

    /// <summary>Finds the nearest existing folder at or above <paramref name="folder"/> and writes a probe file there,
    /// creating nothing that stays (a run refused later for its data leaves no empty folders behind).</summary>
    private static void ThrowIfFolderUnwritable(string folder, string what)
    {
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new CliException($"Cannot write {what}: '{existing}' is a file, not a folder.");
            }

            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                throw new CliException($"Cannot write {what}: no part of its folder exists.");
            }
        }

        var probe = Path.Combine(existing, $".anomaly-detect-write-check-{Guid.NewGuid():N}.tmp");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write {what}: the folder '{existing}' is not writable ({ex.Message}).");
        }
    }
}
