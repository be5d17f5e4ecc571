using System.Globalization;
using System.Text;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// The benchmark's markdown table: per workload, TorchSharp's and PyTorch's medians, TorchSharp relative to PyTorch
/// (the median of the per-round ratios, and their range), the target and whether it is met; then peak memory.
/// </summary>
internal static class ResultTable
{
    /// <summary>Peak memory may be at most this many times PyTorch's.</summary>
    public const double MemoryTarget = 1.1;

    /// <summary>Scoring throughput must be at least this many times PyTorch's.</summary>
    public const double ScoringTarget = 1.0;

    public static string Render(IReadOnlyList<TimingResult> timings, IReadOnlyList<MemoryResult> memory)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | TorchSharp | PyTorch | TorchSharp relative to PyTorch: median (range) | target | met? |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var timing in timings)
        {
            text.AppendLine(timing.Workload.Kind == WorkloadKind.TrainingStep ? TrainingRow(timing) : ScoringRow(timing));
        }

        foreach (var result in memory)
        {
            text.AppendLine(MemoryRow(result));
        }

        return text.ToString();
    }

    private static string TrainingRow(TimingResult timing)
    {
        var ours = Statistics.Median(timing.Ours);
        var theirs = Statistics.Median(timing.Theirs);
        var ratios = timing.TimeRatios;
        var target = timing.Workload.Detector.TrainingTimeTarget;
        return Row(timing.Workload.Label, Duration(ours), timing.Theirs.Count > 0 ? Duration(theirs) : "–",
            RatioText(ratios, "time"), target is { } t ? F($"≤ {t:0.0#}× time") : "none (reported)",
            target is { } limit ? Verdict(ratios, r => r <= limit) : "–");
    }

    private static string ScoringRow(TimingResult timing)
    {
        var images = timing.Workload.Detector.BatchSize;
        var ratios = timing.TimeRatios.Select(r => 1 / r).ToList();
        return Row(timing.Workload.Label, Throughput(images / Statistics.Median(timing.Ours)),
            timing.Theirs.Count > 0 ? Throughput(images / Statistics.Median(timing.Theirs)) : "–",
            RatioText(ratios, "images/s"), F($"≥ {ScoringTarget:0.0#}× images/s"), Verdict(ratios, r => r >= ScoringTarget));
    }

    private static string MemoryRow(MemoryResult result)
    {
        var label = "peak memory: " + result.Workload.Label;
        var ours = result.Ours;
        if (result.Theirs is not { } theirs)
        {
            return Row(label, Megabytes(ours), "–", "–", F($"≤ {MemoryTarget:0.0#}× peak"), "–");
        }

        var ratio = (double)ours.Peak / theirs.Peak;
        var growthRatio = (double)(ours.Peak - ours.Baseline) / (theirs.Peak - theirs.Baseline);
        return Row(label, Megabytes(ours), Megabytes(theirs),
            F($"{ratio:0.00}× peak (above the loaded engine: {growthRatio:0.00}×)"), F($"≤ {MemoryTarget:0.0#}× peak"),
            ratio <= MemoryTarget ? "met" : "**not met**");
    }

    private static string RatioText(IReadOnlyList<double> ratios, string what) => ratios.Count == 0
        ? "–"
        : F($"{Statistics.Median(ratios.ToList()):0.00}× {what} ({ratios.Min():0.00}–{ratios.Max():0.00}, {ratios.Count} rounds)");

    /// <summary>Met when the median ratio meets the target; says in how many rounds it did.</summary>
    private static string Verdict(IReadOnlyList<double> ratios, Func<double, bool> meets)
    {
        if (ratios.Count == 0)
        {
            return "–";
        }

        var rounds = ratios.Count(meets);
        var median = meets(Statistics.Median(ratios.ToList()));
        return rounds == ratios.Count ? "met (every round)"
            : median ? F($"met (median; {rounds} of {ratios.Count} rounds)")
            : F($"**not met** ({rounds} of {ratios.Count} rounds)");
    }

    private static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    private static string Duration(double seconds) => seconds >= 1 ? F($"{seconds:0.00} s") : F($"{seconds * 1e3:0} ms");

    private static string Throughput(double imagesPerSecond) => F($"{imagesPerSecond:0} images/s");

    private static string Megabytes(Measurement m) => F($"{m.Peak / 1e6:N0} MB ({(m.Peak - m.Baseline) / 1e6:N0} above baseline)");

    /// <summary>The notes under the table: where each side's resident memory was at the end (anonymous vs file pages).</summary>
    public static IEnumerable<string> MemoryNotes(IReadOnlyList<MemoryResult> memory) => memory.Select(m =>
        F($"- {m.Workload.Key}: resident at the end, anonymous + file-backed: TorchSharp {m.Ours.Anonymous / 1e6:N0} + {m.Ours.File / 1e6:N0} MB") +
        (m.Theirs is { } t ? F($", PyTorch {t.Anonymous / 1e6:N0} + {t.File / 1e6:N0} MB.") : "."));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
