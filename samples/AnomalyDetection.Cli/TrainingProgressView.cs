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
                if (last is null)
                {
                    WriteGlossary(console.Out, p);
                }

                if (p.Step == 1 || p.Step % every == 0 || p.Step == p.TotalSteps)
                {
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  step {p.Step,6}/{p.TotalSteps}  {FormatLosses(p)}  (elapsed {p.Elapsed:mm\\:ss}, remaining {Remaining(p, "mm\\:ss")})"));
                }

                last = p;
            });
            await Task.Run(() => train(plain));
            return last;
        }

        // A live two-line display (bar and losses) rather than a progress column: the losses are too wide for one.
        await AnsiConsole.Live(new Markup("starting…")).StartAsync(async context =>
        {
            var live = new Reporter(p =>
            {
                context.UpdateTarget(Render(p));
                last = p;
            });
            await Task.Run(() => train(live));
        });
        if (last is not null)
        {
            WriteGlossary(console.Out, last);
        }

        return last;
    }

    private static Rows Render(TrainingProgress p)
    {
        const int width = 40;
        var filled = (int)Math.Round(p.Fraction * width);
        var bar = string.Create(CultureInfo.InvariantCulture,
            $"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/] {p.Fraction,4:P0}  step {p.Step}/{p.TotalSteps}  elapsed {p.Elapsed:hh\\:mm\\:ss}  remaining {Remaining(p, "hh\\:mm\\:ss")}");
        return new Rows(new Markup(bar), new Text(FormatLosses(p)));
    }

    /// <summary>Says once what each reported loss means, since names such as "gradient_penalty" mean little on their own.</summary>
    private static void WriteGlossary(TextWriter writer, TrainingProgress p)
    {
        writer.WriteLine("  losses:");
        foreach (var name in p.Losses.Keys.Order(StringComparer.Ordinal))
        {
            writer.WriteLine($"    {name,-21} {TrainingLossGlossary.Describe(name) ?? "(reported by this detector)"}");
        }
    }

    private static string Remaining(TrainingProgress p, string format) =>
        p.EstimatedRemaining is { } remaining ? remaining.ToString(format, CultureInfo.InvariantCulture) : "estimating";

    private static string FormatLosses(TrainingProgress p) =>
        string.Join("  ", p.Losses.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key} {l.Value:F4}")));

    /// <summary>Reports synchronously on the training thread, so lines stay in step order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
