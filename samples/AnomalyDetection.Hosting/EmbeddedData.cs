namespace AnomalyDetection.Hosting;

/// <summary>Finds the PneumoniaMNIST subset shipped in the repository (<c>data/pneumoniamnist</c>).</summary>
internal static class EmbeddedData
{
    /// <summary>The embedded data folder, found by walking up from the application's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">No ancestor folder holds it.</exception>
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

        throw new DirectoryNotFoundException($"The embedded data folder data/pneumoniamnist was not found above {AppContext.BaseDirectory}; set Scan:TrainingData and Scan:InputFolder.");
    }
}
