using System.Diagnostics;
using System.Globalization;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Times every case for the managed engine and its PyTorch references in interleaved rounds (one sample of each
/// per case per round), so that the phases of a noisy shared host hit both sides alike; reports medians.
/// </summary>
internal sealed class InterleavedRunner(TorchWorker? torch, int rounds, TextWriter output)
{
    private const double SampleSeconds = 0.1;
    private const double WarmupSeconds = 0.5;

    public void Run(IReadOnlyList<BenchmarkCase> cases)
    {
        var entries = cases.Select(c => new Entry(c, c.Prepare(), torch is null ? [] : c.References)).ToList();
        foreach (var entry in entries)
        {
            output.WriteLine($"warming up: {entry.Case.Name}");
            entry.Ours.Iterations = Calibrate(iterations => Sample(entry.Action, iterations));
            foreach (var reference in entry.References)
            {
                reference.Iterations = Calibrate(iterations => torch!.Time(reference.Spec, iterations));
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var entry in entries)
            {
                entry.Ours.Samples.Add(Sample(entry.Action, entry.Ours.Iterations));
                foreach (var reference in entry.References)
                {
                    reference.Samples.Add(torch!.Time(reference.Spec, reference.Iterations));
                }
            }
        }

        Report(entries);
    }

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
        output.WriteLine($"Medians of {rounds} interleaved rounds: ms per call, GFLOP/s, and ours/ref = our throughput over the reference's.");
        output.WriteLine($"{"case",-40} {"GFLOP",7} {"ours ms",8} {"GFLOP/s",8}   {"reference",-9} {"ref ms",8} {"GFLOP/s",8} {"ours/ref",8}");
        foreach (var entry in entries)
        {
            var flops = entry.Case.Flops;
            var ours = Median(entry.Ours.Samples);
            var line = Format($"{entry.Case.Name,-40} {flops / 1e9,7:F3} {ours * 1e3,8:F2} {flops / ours / 1e9,8:F1}");
            if (entry.References.Count == 0)
            {
                output.WriteLine(line);
                continue;
            }

            foreach (var reference in entry.References)
            {
                var time = Median(reference.Samples);
                output.WriteLine(line + Format($"   {reference.Label,-9} {time * 1e3,8:F2} {flops / time / 1e9,8:F1} {time / ours,8:F2}"));
                line = new string(' ', line.Length);
            }
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The samples of one side of a case.</summary>
    private class Series
    {
        public int Iterations { get; set; }

        public List<double> Samples { get; } = [];
    }

    private sealed class ReferenceSeries(TorchReference reference) : Series
    {
        public string Label => reference.Label;

        public string Spec => reference.Spec;
    }

    private sealed class Entry(BenchmarkCase benchmarkCase, Action action, IReadOnlyList<TorchReference> references)
    {
        public BenchmarkCase Case { get; } = benchmarkCase;

        public Action Action { get; } = action;

        public Series Ours { get; } = new();

        public List<ReferenceSeries> References { get; } = references.Select(r => new ReferenceSeries(r)).ToList();
    }
}
