namespace AnomalyDetection.Cli.Tests;

/// <summary>An existing folder this process cannot write to.</summary>
internal static class UnwritableFolder
{
    /// <summary>A fresh folder made read-only; when the process ignores permissions (it runs as root), <c>/sys</c>,
    /// which the kernel refuses new files in even then.</summary>
    public static string Create(SyntheticDataset data)
    {
        var folder = Directory.CreateDirectory(data.PathFor("read-only")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        if (!CanWrite(folder))
        {
            return folder;
        }

        Assert.True(Directory.Exists("/sys") && !CanWrite("/sys"), "No unwritable folder is available to this process.");
        return "/sys";
    }

    private static bool CanWrite(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
