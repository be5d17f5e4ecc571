namespace AnomalyDetection.Cli.Tests;

/// <summary>The exit-code policy for bad input, shared by the failure tests.</summary>
internal static class CliAssert
{
    /// <summary>Exit code 1 and one line, "error: …" containing <paramref name="expectedMessage"/>, with no stack trace.</summary>
    public static void BadInput(CliRun run, string expectedMessage)
    {
        Assert.True(run.ExitCode == ExitCodes.BadInput, $"Exit code {run.ExitCode}; stderr: {run.Error}");
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
