namespace AnomalyDetection.Cli;

/// <summary>The process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Bad input: a missing or malformed file, folder or option.</summary>
    public const int BadInput = 1;

    /// <summary>Cancelled with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
