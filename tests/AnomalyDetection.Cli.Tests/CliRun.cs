namespace AnomalyDetection.Cli.Tests;

/// <summary>Runs the tool in-process with captured, non-interactive output.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, args);

    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(args, new CliConsole(output, error, IsInteractive: false), cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
