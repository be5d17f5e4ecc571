namespace AnomalyDetection.Cli;

/// <summary>Where the commands write, and whether a person is watching (live progress bars) or not (plain lines).</summary>
/// <param name="Out">Results and progress.</param>
/// <param name="Error">Error messages.</param>
/// <param name="IsInteractive">Whether standard output is a terminal that can show live progress.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    /// <summary>The process's console.</summary>
    public static CliConsole System => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
