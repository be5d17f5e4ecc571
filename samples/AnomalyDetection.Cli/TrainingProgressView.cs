using System.Globalization;
using AnomalyDetection.Detection;
using Spectre.Console;

namespace AnomalyDetection.Cli;

/// <summary>Shows training progress: a live bar with the latest losses on a terminal, about twenty plain lines
/// otherwise (logs, pipes, tests).</summary>
internal static class TrainingProgressView
{
    /// <summary>Runs <paramref name="train"/> on a worker thread, reporting its progress, and returns the last report.</summary>
    public static async Task<TrainingProgress?> RunAsync(CliConsole console, Action<IProgress<TrainingProgress>> train)
    {
        TrainingProgress? last = null;
        if (!console.IsInteractive)
        {
            var plain = new Reporter(p =>
            {
                var every = Math.Max(1, p.TotalSteps / 20);
                if (p.Step == 1 || p.Step % every == 0 || p.Step == p.TotalSteps)
                {
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  step {p.Step,6}/{p.TotalSteps}  {FormatLosses(p)}  (elapsed {p.Elapsed:mm\\:ss}, remaining {p.EstimatedRemaining:mm\\:ss})"));
                }

                last = p;
            });
            await Task.Run(() => train(plain));
            return last;
        }

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("training", maxValue: 1);
                var live = new Reporter(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalSteps);
                    task.Value = p.Step;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps}  {FormatLosses(p)}"));
                    last = p;
                });
                await Task.Run(() => train(live));
            });
        return last;
    }

    private static string FormatLosses(TrainingProgress p) =>
        string.Join("  ", p.Losses.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key} {l.Value:F4}")));

    /// <summary>Reports synchronously on the training thread, so lines stay in step order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
