// Side-by-side throughput of the managed tensor engine and PyTorch on the same machine and thread count.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Benchmarks -- [group|case-substring ...] [--rounds N] [--threads N] [--no-torch]
// Groups: probe, gemm, conv, networks, memory; no selection runs everything. PyTorch runs on 2 threads.
using System.Runtime.Intrinsics;
using AnomalyDetection.Benchmarks;
using AnomalyDetection.Benchmarks.Networks;
using AnomalyDetection.Tensors.Kernels;

if (args is [PeakMemory.ChildSwitch, var memorySpec, var memoryThreads])
{
    return PeakMemory.MeasureInThisProcess(memorySpec, int.Parse(memoryThreads, System.Globalization.CultureInfo.InvariantCulture));
}

var threads = 2;
var rounds = 7;
var useTorch = true;
var filters = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length:
            rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--threads" when i + 1 < args.Length:
            threads = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--no-torch":
            useTorch = false;
            break;
        default:
            filters.Add(args[i]);
            break;
    }
}

Parallelism.ThreadCount = threads;
var memoryAsked = filters.Remove("memory");
var measureMemory = memoryAsked || filters.Count == 0;
var selected = memoryAsked && filters.Count == 0 ? [] : Cases.All
    .Where(c => filters.Count == 0 || filters.Exists(f => c.Group == f || c.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
    .ToList();
if (selected.Count == 0 && !measureMemory)
{
    Console.WriteLine("No case matches. Groups: " + string.Join(", ", Cases.All.Select(c => c.Group).Distinct()) + ". Cases:");
    Cases.All.ToList().ForEach(c => Console.WriteLine("  " + c.Name));
    return 1;
}

Console.WriteLine($"Managed engine: {threads} threads, Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, Vector256 {(Vector256.IsHardwareAccelerated ? "on" : "off")}, {Environment.ProcessorCount} processors.");
using var torch = useTorch ? TorchWorker.TryStart(Console.Out) : null;
if (torch is not null)
{
    Console.WriteLine($"PyTorch {torch.Version}.");
}

if (selected.Count > 0)
{
    new InterleavedRunner(torch, rounds, Console.Out).Run(selected);
}

if (measureMemory)
{
    PeakMemory.Report(Console.Out, torch is not null, threads);
}

return 0;
