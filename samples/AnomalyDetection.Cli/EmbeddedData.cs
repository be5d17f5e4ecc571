namespace AnomalyDetection.Cli;

/// <summary>Finds the PneumoniaMNIST subset shipped in the repository (<c>data/pneumoniamnist</c>).</summary>
internal static class EmbeddedData
{
    /// <summary>The repository-relative location of the embedded data.</summary>
    public const string RelativePath = "data/pneumoniamnist";

    /// <summary>The embedded data folder, found by walking up from the application's folder.</summary>
    /// <exception cref="CliException">No ancestor folder holds it.</exception>
    public static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "data", "pneumoniamnist");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliException($"No --data folder was given and the embedded data ({RelativePath}) was not found above {AppContext.BaseDirectory}.");
    }
}
