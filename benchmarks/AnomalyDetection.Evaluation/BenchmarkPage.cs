using System.Globalization;
using System.Text;

namespace AnomalyDetection.Evaluation;

/// <summary>Renders the results rows as <c>docs/benchmarks.md</c>: per data set, one table row per detector and
/// configuration (mean ± sample sd over seeds), each compared with the best trivial baseline, then the commands that
/// produced the rows and the training budget. Rows of the retired managed engine (no engine recorded) form groups of
/// their own, after the engine's, and never count in the standing table.</summary>
internal static class BenchmarkPage
{
    /// <summary>The page of the repository, relative to its root.</summary>
    public const string DefaultPath = "docs/benchmarks.md";

    /// <summary>The fewest seeds a configuration needs to count in the standing table.</summary>
    private const int MinimumSeeds = 3;

    /// <summary>The largest seed standard deviation of image AUROC that counts as stable.</summary>
    private const double SeedSpreadLimit = 0.05;

    /// <summary>The command that regenerates the page.</summary>
    public const string RenderCommand = "dotnet run -c Release --project benchmarks/AnomalyDetection.Evaluation -- render";

    /// <summary>Renders the page.</summary>
    /// <param name="rows">Every results row.</param>
    /// <param name="notes">The hand-written sections.</param>
    /// <returns>The Markdown text.</returns>
    public static string Render(IReadOnlyList<ResultRow> rows, PageNotes notes)
    {
        var page = new StringBuilder();
        page.Append("# Benchmarks\n\n");
        page.Append($"<!-- Generated from {ResultsFile.DefaultPath} and {PageNotes.DefaultPath} by `{RenderCommand}`; edit those, not this page. -->\n\n");
        AppendSection(page, notes.Section("intro"));
        page.Append("Each row is the mean ± sample standard deviation over its seeds (— for a single seed) of metrics on the data set's own ")
            .Append("test split; thresholds and checkpoints were chosen on validation images carved from the training normals. ")
            .Append("\"vs trivial\" compares the mean with the best trivial baseline of the same data set. ")
            .Append($"Regenerate the page with `{RenderCommand}`.\n\n");

        var datasets = rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal).ToList();
        AppendStanding(page, datasets, rows);
        foreach (var dataset in datasets)
        {
            AppendDataset(page, dataset, [.. rows.Where(r => r.Dataset == dataset)], notes);
        }

        AppendBudget(page, rows, notes);
        AppendSection(page, notes.Section("closing"));
        return page.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Per data set, every trained configuration of the current engine with at least three seeds against the
    /// best trivial baseline, and whether its seeds agree within <see cref="SeedSpreadLimit"/>.</summary>
    private static void AppendStanding(StringBuilder page, IReadOnlyList<string> datasets, IReadOnlyList<ResultRow> rows)
    {
        page.Append("## Where each data set stands\n\n");
        page.Append(string.Create(CultureInfo.InvariantCulture,
            $"Trained configurations run on TorchSharp with at least {MinimumSeeds} seeds, against the best trivial baseline of their data set; \"sd\" checks that the seeds' image AUROC standard deviation is at most {SeedSpreadLimit:F2}.\n\n"));
        page.Append("| data set | best trivial image AUROC | best trivial pixel AUROC | configurations (image AUROC; pixel AUROC) |\n|---|---|---|---|\n");
        foreach (var dataset in datasets)
        {
            var groups = Groups(rows.Where(r => r.Dataset == dataset));
            var (_, bestImage, bestPixel) = Baselines(groups);
            var entries = groups
                .Where(g => g.Detector != DetectorRegistry.Baseline && g.Rows[0].Engine is not null && g.Rows.Count >= MinimumSeeds)
                .OrderByDescending(g => g.ImageAuroc.Mean)
                .Select(g => string.Create(CultureInfo.InvariantCulture,
                    $"{g.Configuration}: {g.ImageAuroc.Format()}{(g.PixelAuroc is { } pixel ? "; " + pixel.Format() : "")} — {Comparison(g, bestImage, bestPixel)}; sd {(g.ImageAuroc.StandardDeviation <= SeedSpreadLimit ? "ok" : "**too wide**")}"))
                .ToList();
            page.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {dataset} | {(bestImage is null ? "n/a" : $"{bestImage.ImageAuroc.Mean:F3} ({bestImage.Configuration})")} | {(bestPixel is null ? "n/a" : $"{bestPixel.PixelAuroc!.Mean:F3} ({bestPixel.Configuration})")} | {(entries.Count == 0 ? "none yet" : string.Join("<br>", entries))} |\n"));
        }

        page.Append('\n');
    }

    private static void AppendDataset(StringBuilder page, string dataset, IReadOnlyList<ResultRow> rows, PageNotes notes)
    {
        page.Append($"## {dataset}\n\n");
        AppendSection(page, notes.Section(dataset));
        var first = rows[0];
        page.Append(string.Create(CultureInfo.InvariantCulture, $"Test split: {first.TestNormal} normal, {first.TestAbnormal} abnormal images.\n\n"));

        var groups = Groups(rows);
        var (baselines, bestImage, bestPixel) = Baselines(groups);

        page.Append("| detector | configuration | engine | seeds | size | steps | training per seed | image AUROC | AP | F1-max | pixel AUROC | best Dice | AUPRO | vs trivial |\n");
        page.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        var trained = groups.Where(g => g.Detector != DetectorRegistry.Baseline).OrderBy(g => g.Rows[0].Engine is null);
        foreach (var group in trained.Concat(baselines))
        {
            page.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Detector} | {group.Configuration} | {EngineLabel(group.Rows[0].Engine)} | {group.Rows.Count} | {Size(group.Rows[0].ImageSize)} | {group.Rows.Average(r => r.Steps):F0} | {Seconds(group.Training)} | {group.ImageAuroc.Format()} | {Cell(group.AveragePrecision)} | {Cell(group.F1Max)} | {Cell(group.PixelAuroc)} | {Cell(group.BestDice)} | {Cell(group.Aupro)} | {Comparison(group, bestImage, bestPixel)} |\n"));
        }

        page.Append('\n');
        if (bestImage is not null)
        {
            page.Append(string.Create(CultureInfo.InvariantCulture, $"Best trivial baseline: image AUROC {bestImage.ImageAuroc.Mean:F3} ({bestImage.Configuration})"));
            page.Append(bestPixel is null ? ".\n\n" : string.Create(CultureInfo.InvariantCulture, $", pixel AUROC {bestPixel.PixelAuroc!.Mean:F3} ({bestPixel.Configuration}).\n\n"));
        }

        page.Append("Commands that produced these rows:\n\n```bash\n");
        foreach (var command in rows.Select(r => r.Command).Distinct(StringComparer.Ordinal))
        {
            page.Append(command).Append('\n');
        }

        page.Append("```\n\n");
    }

    private static void AppendBudget(StringBuilder page, IReadOnlyList<ResultRow> rows, PageNotes notes)
    {
        page.Append("## Training budget\n\n");
        AppendSection(page, notes.Section("budget"));
        var trained = rows.Where(r => r.Detector != DetectorRegistry.Baseline).ToList();
        if (trained.Count == 0)
        {
            page.Append("No trained detector rows yet; the trivial baselines need no training.\n\n");
            return;
        }

        page.Append("| data set | detector | configuration | seeds | training per seed | total | engine | threads | machine |\n");
        page.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var group in Groups(trained))
        {
            var threads = string.Join(", ", group.Rows.Select(r => r.Threads.ToString(CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal));
            var machines = string.Join("; ", group.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Machine} ({r.ProcessorCount} processors)")).Distinct(StringComparer.Ordinal));
            var engines = string.Join("; ", group.Rows.Select(r => r.Engine ?? "managed engine (retired)").Distinct(StringComparer.Ordinal));
            page.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Rows[0].Dataset} | {group.Detector} | {group.Configuration} | {group.Rows.Count} | {Seconds(group.Training)} | {Duration(group.Rows.Sum(r => r.TrainingSeconds))} | {engines} | {threads} | {machines} |\n"));
        }

        page.Append(string.Create(CultureInfo.InvariantCulture, $"\nTotal training time over all rows: {Duration(trained.Sum(r => r.TrainingSeconds))} of wall clock.\n\n"));
    }

    private static List<Group> Groups(IEnumerable<ResultRow> rows) =>
        [.. rows.GroupBy(r => (r.Dataset, r.Detector, r.Configuration, r.Engine)).Select(g => new Group([.. g]))];

    /// <summary>A data set's trivial-baseline groups and the best of them by image and by pixel AUROC.</summary>
    private static (List<Group> All, Group? BestImage, Group? BestPixel) Baselines(IEnumerable<Group> groups)
    {
        var baselines = groups.Where(g => g.Detector == DetectorRegistry.Baseline).ToList();
        return (baselines, baselines.MaxBy(g => g.ImageAuroc.Mean), baselines.Where(g => g.PixelAuroc is not null).MaxBy(g => g.PixelAuroc!.Mean));
    }

    /// <summary>"TorchSharp cpu" or "TorchSharp cuda" for rows of the engine, "retired" for the managed engine's rows.</summary>
    private static string EngineLabel(string? engine) =>
        engine is null ? "retired" : "TorchSharp " + engine[(engine.LastIndexOf(' ') + 1)..];

    private static string Comparison(Group group, Group? bestImage, Group? bestPixel)
    {
        if (group.Detector == DetectorRegistry.Baseline)
        {
            return "trivial baseline";
        }

        if (bestImage is null)
        {
            return "no baseline rows";
        }

        var text = "image " + Versus(group.ImageAuroc.Mean, bestImage.ImageAuroc.Mean);
        if (group.PixelAuroc is { } pixel && bestPixel?.PixelAuroc is { } best)
        {
            text += "; pixel " + Versus(pixel.Mean, best.Mean);
        }

        return text;
    }

    private static string Versus(double value, double baseline) =>
        string.Create(CultureInfo.InvariantCulture, $"{(value > baseline ? "above" : "**below**")} ({value - baseline:+0.000;−0.000;0.000})");

    private static void AppendSection(StringBuilder page, string? text)
    {
        if (text is not null)
        {
            page.Append(text).Append("\n\n");
        }
    }

    private static string Cell(Summary? summary) => summary?.Format() ?? "n/a";

    private static string Size(int size) => size == 0 ? "native" : $"{size}²";

    private static string Seconds(Summary summary) => summary.Mean == 0 ? "none" : $"{summary.Format("F0")} s";

    // Hours run on past a day (a TimeSpan's "h" would drop the days of a long total).
    private static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}:{span:mm}:{span:ss}");
    }

    /// <summary>One detector and configuration on one data set, over its seeds.</summary>
    private sealed record Group(IReadOnlyList<ResultRow> Rows)
    {
        public string Detector => Rows[0].Detector;

        public string Configuration => Rows[0].Configuration;

        public Summary ImageAuroc => Summary.Of(Rows.Select(r => (double?)r.ImageAuroc))!;

        public Summary AveragePrecision => Summary.Of(Rows.Select(r => (double?)r.ImageAveragePrecision))!;

        public Summary F1Max => Summary.Of(Rows.Select(r => (double?)r.ImageF1Max))!;

        public Summary? PixelAuroc => Summary.Of(Rows.Select(r => r.PixelAuroc));

        public Summary? BestDice => Summary.Of(Rows.Select(r => r.PixelBestDice));

        public Summary? Aupro => Summary.Of(Rows.Select(r => r.PixelAupro));

        public Summary Training => Summary.Of(Rows.Select(r => (double?)r.TrainingSeconds))!;
    }
}
