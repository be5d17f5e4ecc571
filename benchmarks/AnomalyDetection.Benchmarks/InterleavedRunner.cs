using System.Diagnostics;
using System.Globalization;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Times every case for the managed engine and for PyTorch in interleaved rounds (case by case, one sample of each
/// per round), so that phases of a noisy shared host hit both sides alike; reports medians.
/// </summary>
internal sealed class InterleavedRunner(TorchWorker? torch, int rounds, TextWriter output)
{
    private const double SampleSeconds = 0.1;
    private const double WarmupSeconds = 0.5;

    public void Run(IReadOnlyList<BenchmarkCase> cases)
    {
        var entries = cases.Select(c => new Entry(c, c.Prepare())).ToList();
        foreach (var entry in entries)
        {
            output.WriteLine($"warming up: {entry.Case.Name}");
            entry.Iterations = Calibrate(entry.Action);
            if (torch is not null && entry.Case.TorchSpec is { } spec)
            {
                entry.TorchIterations = Calibrate(iterations => torch.Time(spec, iterations));
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var entry in entries)
            {
                entry.Ours.Add(Sample(entry.Action, entry.Iterations));
                if (torch is not null && entry.Case.TorchSpec is { } spec)
                {
                    entry.Torch.Add(torch.Time(spec, entry.TorchIterations));
                }
            }
        }

        Report(entries);
    }

    private static int Calibrate(Action action) => Calibrate(iterations => Sample(action, iterations));

    /// <summary>Warms up, then picks the iteration count that makes one sample last about <see cref="SampleSeconds"/>.</summary>
    private static int Calibrate(Func<int, double> time)
    {
        var clock = Stopwatch.StartNew();
        var samples = new List<double>();
        while (samples.Count < 5 || clock.Elapsed.TotalSeconds < WarmupSeconds)
        {
            samples.Add(time(1));
        }

        return Math.Max(1, (int)Math.Round(SampleSeconds / Median(samples)));
    }

    private static double Sample(Action action, int iterations)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        return clock.Elapsed.TotalSeconds / iterations;
    }

    private void Report(List<Entry> entries)
    {
        output.WriteLine();
        output.WriteLine($"Medians of {rounds} interleaved rounds (ms per call; GFLOP/s; ratio = ours / PyTorch throughput).");
        output.WriteLine($"{"case",-42} {"GFLOP",7} {"ours ms",9} {"GFLOP/s",8} {"torch ms",9} {"GFLOP/s",8} {"ratio",6}");
        foreach (var entry in entries)
        {
            var ours = Median(entry.Ours);
            var line = string.Create(CultureInfo.InvariantCulture, $"{entry.Case.Name,-42} {entry.Case.Flops / 1e9,7:F3} {ours * 1e3,9:F2} {entry.Case.Flops / ours / 1e9,8:F1}");
            if (entry.Torch.Count > 0)
            {
                var reference = Median(entry.Torch);
                line += string.Create(CultureInfo.InvariantCulture, $" {reference * 1e3,9:F2} {entry.Case.Flops / reference / 1e9,8:F1} {reference / ours,6:F2}");
            }

            output.WriteLine(line);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class Entry(BenchmarkCase benchmarkCase, Action action)
    {
        public BenchmarkCase Case { get; } = benchmarkCase;

        public Action Action { get; } = action;

        public int Iterations { get; set; }

        public int TorchIterations { get; set; }

        public List<double> Ours { get; } = [];

        public List<double> Torch { get; } = [];
    }
}
