using System.CommandLine;
using System.Text.Json;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Engine;

namespace AnomalyDetection.Evaluation;

/// <summary>The command tree (<c>run</c>, <c>render</c>) and its error policy: input problems become one line on
/// standard error and exit code 1.</summary>
internal static class EvaluationApplication
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    /// <returns>0 on success, 1 for bad input, 2 for bad usage.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Trains detectors with named configurations on data set folders, appends the test metrics to a results file and renders docs/benchmarks.md.")
        {
            CreateRun(args, error),
            CreateRender(output),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command CreateRun(string[] args, TextWriter error)
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set folder (train/normal, test/..., optional extra/<pool>).", Required = true };
        var detector = new Option<string>("--detector") { Description = $"The detector kind: {string.Join(", ", DetectorRegistry.Kinds)}.", Required = true };
        var configs = new Option<string[]>("--config")
        {
            Description = $"One or more configuration names from {ConfigurationCatalog.DefaultPath}.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var seeds = new Option<long[]>("--seed")
        {
            Description = "One or more seeds; each configuration runs once per seed. Defaults to 0.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [0],
        };
        var results = new Option<string>("--results") { Description = "The results file rows are appended to.", DefaultValueFactory = _ => ResultsFile.DefaultPath };
        var sets = new Option<string[]>("--set")
        {
            Description = "Key=Value settings applied after the configuration's own (for example MaxSteps=100).",
            AllowMultipleArgumentsPerToken = true,
        };
        var configurations = new Option<string>("--configurations") { Description = "The configuration file.", DefaultValueFactory = _ => ConfigurationCatalog.DefaultPath };
        var threads = new Option<int?>("--threads") { Description = "The engine's thread count; defaults to the engine's own choice." };
        var command = new Command("run", "Train (or, for baselines, only score), evaluate on the test split and append one row per configuration and seed.")
        {
            dataset, detector, configs, seeds, results, sets, configurations, threads,
        };
        command.SetAction((ParseResult result, CancellationToken cancellationToken) => Guard(error, () =>
        {
            if (result.GetValue(threads) is { } count)
            {
                TorchRuntime.SetCpuThreads(count);
            }

            var request = new RunRequest(
                result.GetValue(dataset)!,
                result.GetValue(detector)!,
                result.GetValue(configs)!,
                result.GetValue(seeds)!,
                [.. (result.GetValue(sets) ?? []).Select(OptionsBinder.ParsePair)],
                result.GetValue(results)!,
                RecordedCommand.Of(args, Environment.CurrentDirectory));
            new BenchmarkRunner(ConfigurationCatalog.Load(result.GetValue(configurations)!), error).Run(request, cancellationToken);
        }));
        return command;
    }

    private static Command CreateRender(TextWriter output)
    {
        var results = new Option<string>("--results") { Description = "The results file.", DefaultValueFactory = _ => ResultsFile.DefaultPath };
        var notes = new Option<string>("--notes") { Description = "The hand-written sections (## intro, ## budget, ## <data set>, ## closing).", DefaultValueFactory = _ => PageNotes.DefaultPath };
        var destination = new Option<string>("--out") { Description = "The page written.", DefaultValueFactory = _ => BenchmarkPage.DefaultPath };
        var command = new Command("render", "Render the results file as a Markdown page of mean ± sd tables.") { results, notes, destination };
        command.SetAction((ParseResult result, CancellationToken _) => Guard(output, () =>
        {
            var page = BenchmarkPage.Render(ResultsFile.Read(result.GetValue(results)!), PageNotes.Load(result.GetValue(notes)!));
            File.WriteAllText(result.GetValue(destination)!, page);
            output.WriteLine($"Wrote {result.GetValue(destination)}");
        }));
        return command;
    }

    private static Task<int> Guard(TextWriter error, Action action)
    {
        try
        {
            action();
            return Task.FromResult(0);
        }
        catch (Exception ex) when (ex is HarnessException or InvalidDatasetException or InvalidImageException or IOException or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine($"error: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}
