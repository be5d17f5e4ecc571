using System.CommandLine;

namespace AnomalyDetection.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary><c>--data</c>: a data set folder in the folder layout, the embedded data when left out.</summary>
    public static Option<string?> Data(string purpose, string layout = "train/normal, test/normal, test/abnormal, optional extra/<pool>") => new("--data", "-d")
    {
        Description = $"{purpose} ({layout}). Defaults to the embedded {EmbeddedData.RelativePath}.",
    };

    /// <summary><c>--model</c>: a trained model file.</summary>
    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "A model file written by train.",
        Required = true,
    };

    /// <summary>The data folder asked for, or the embedded one; checked to exist.</summary>
    public static string ResolveData(string? data)
    {
        var folder = data ?? EmbeddedData.Locate();
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : throw new CliException($"Data folder '{folder}' does not exist.");
    }
}
