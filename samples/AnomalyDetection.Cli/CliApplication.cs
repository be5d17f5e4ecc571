using System.CommandLine;
using System.Text.Json;
using AnomalyDetection.Cli.Commands;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli;

/// <summary>The command tree and the error policy shared by every command.</summary>
internal static class CliApplication
{
    /// <summary>How long Ctrl-C waits for a command to stop by itself (a training step to finish) before the
    /// process is ended.</summary>
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(60);

    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            ProcessTerminationTimeout = CancellationGrace,
        };
        return BuildRootCommand(console).Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The root command with <c>train</c>, <c>evaluate</c>, <c>predict</c>, <c>info</c>, <c>import</c> and <c>export</c>.</summary>
    public static RootCommand BuildRootCommand(CliConsole console) =>
        new("Trains GAN-based anomaly detectors on medical images, evaluates them, scores new images and describes model files.")
        {
            TrainCommand.Create(console),
            EvaluateCommand.Create(console),
            PredictCommand.Create(console),
            InfoCommand.Create(console),
            ImportCommand.Create(console),
            ExportCommand.Create(console),
        };

    /// <summary>Wraps a command's work: expected failures become a one-line message and exit code 1, Ctrl-C
    /// becomes exit code 130; anything else is a bug and keeps its stack trace.</summary>
    public static void SetGuardedAction(this Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            try
            {
                return await action(result, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"{command.Name}: cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (IsBadInput(ex))
            {
                await console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });

    private static bool IsBadInput(Exception ex) =>
        ex is CliException or InvalidDatasetException or InvalidModelFileException or InvalidImageException
            or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or JsonException;
}
