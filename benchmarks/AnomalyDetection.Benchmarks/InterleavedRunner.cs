using System.Diagnostics;
using System.Globalization;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Times every workload for TorchSharp and PyTorch in interleaved rounds: each round takes one sample of each side of
/// each workload, back to back, alternating which side goes first, so that the phases of a noisy shared host hit both
/// alike. A sample is the mean of enough calls to last about <see cref="SampleSeconds"/>.
/// </summary>
internal sealed class InterleavedRunner(TorchWorker? torch, int rounds, TextWriter log)
{
    private const double SampleSeconds = 0.5;

    public IReadOnlyList<TimingResult> Run(IReadOnlyList<PreparedWorkload> workloads)
    {
        var results = workloads.Select(w => new TimingResult(w.Workload)).ToList();
        var calls = new (int Ours, int Theirs)[workloads.Count];
        for (var i = 0; i < workloads.Count; i++)
        {
            log.WriteLine($"warming up: {workloads[i].Workload.Label}");
            calls[i] = (Calibrate(n => Sample(workloads[i].Run, n)), torch is null ? 0 : Calibrate(n => torch.Time(workloads[i].TorchSpec, n)));
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < workloads.Count; i++)
            {
                double? theirs = null;
                if (torch is not null && round % 2 == 1)
                {
                    theirs = torch.Time(workloads[i].TorchSpec, calls[i].Theirs);
                }

                var ours = Sample(workloads[i].Run, calls[i].Ours);
                if (torch is not null && round % 2 == 0)
                {
                    theirs = torch.Time(workloads[i].TorchSpec, calls[i].Theirs);
                }

                results[i].Add(ours, theirs);
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}/{rounds}: ") +
                string.Join(", ", results.Select(r => r.Workload.Key + " " + r.LastRoundText())));
        }

        return results;
    }

    /// <summary>A warm-up call (for a fast workload a second, timed one), then the number of calls that makes one sample
    /// last about <see cref="SampleSeconds"/>.</summary>
    private static int Calibrate(Func<int, double> time)
    {
        var seconds = time(1);
        if (seconds < 2 * SampleSeconds)
        {
            seconds = time(1);
        }

        return Math.Max(1, (int)Math.Round(SampleSeconds / seconds));
    }

    private static double Sample(Action action, int calls)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            action();
        }

        return clock.Elapsed.TotalSeconds / calls;
    }
}

/// <summary>The per-round seconds per call of one workload on both sides.</summary>
internal sealed class TimingResult(Workload workload)
{
    public Workload Workload { get; } = workload;

    /// <summary>TorchSharp's seconds per call, one per round.</summary>
    public List<double> Ours { get; } = [];

    /// <summary>PyTorch's seconds per call, one per round; empty without PyTorch.</summary>
    public List<double> Theirs { get; } = [];

    /// <summary>Per round, TorchSharp's time over PyTorch's measured in the same round (below 1: TorchSharp faster).</summary>
    public IReadOnlyList<double> TimeRatios => Ours.Zip(Theirs, (o, t) => o / t).ToList();

    public void Add(double ours, double? theirs)
    {
        Ours.Add(ours);
        if (theirs is { } value)
        {
            Theirs.Add(value);
        }
    }

    public string LastRoundText() => Theirs.Count == Ours.Count && Ours.Count > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Ours[^1] * 1e3:F0}/{Theirs[^1] * 1e3:F0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{Ours[^1] * 1e3:F0} ms");
}
