// Side-by-side throughput of the managed tensor engine and PyTorch on the same machine and thread count.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Benchmarks -- [group|case-substring ...] [--rounds N] [--threads N] [--no-torch]
// Groups: probe, gemm, conv; no selection runs everything. PyTorch runs on 2 threads.
using System.Runtime.Intrinsics;
using AnomalyDetection.Benchmarks;
using AnomalyDetection.Tensors.Kernels;

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
var selected = Cases.All
    .Where(c => filters.Count == 0 || filters.Exists(f => c.Group == f || c.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
    .ToList();
if (selected.Count == 0)
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

new InterleavedRunner(torch, rounds, Console.Out).Run(selected);
return 0;
