// Speed and peak memory of the detectors on TorchSharp against the same work in PyTorch, side by side in one run.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Benchmarks -- [sagan|patchgan|ae|WORKLOAD ...]
//       [--rounds N] [--threads N] [--no-torch] [--no-memory] [--markdown FILE]
// Workloads: sagan-step, patchgan-step, ae-step (one training step) and sagan-score, patchgan-score, ae-score (one
// scoring batch); no selection runs all six. PyTorch is Debian's python3-torch under /usr/bin/python3 (see
// docs/performance.md); without it the console times TorchSharp alone.
using System.Globalization;
using AnomalyDetection.Benchmarks;
using AnomalyDetection.Benchmarks.Detectors;
using AnomalyDetection.Engine;

DetectorBench[] detectors = [new SaganBench(), new PatchGanBench(), new AutoencoderBench()];

if (args is [PeakMemory.ChildSwitch, var childKey, var childThreads, .. var childRest])
{
    return PeakMemory.MeasureInThisProcess(detectors, childKey, int.Parse(childThreads, CultureInfo.InvariantCulture), childRest.FirstOrDefault());
}

if (OpenMpEnvironment.RelaunchIfUnset(args) is { } relaunched)
{
    return relaunched;
}

var threads = 2;
var rounds = 5;
var useTorch = true;
var measureMemory = true;
string? markdownPath = null;
var filters = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length:
            rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--threads" when i + 1 < args.Length:
            threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--markdown" when i + 1 < args.Length:
            markdownPath = args[++i];
            break;
        case "--no-torch":
            useTorch = false;
            break;
        case "--no-memory":
            measureMemory = false;
            break;
        default:
            filters.Add(args[i]);
            break;
    }
}

var workloads = Workload.All(detectors)
    .Where(w => filters.Count == 0 || filters.Contains(w.Key) || filters.Contains(w.Detector.Key))
    .ToList();
if (workloads.Count == 0)
{
    Console.WriteLine("No workload matches. Detectors: " + string.Join(", ", detectors.Select(d => d.Key)) +
        "; workloads: " + string.Join(", ", Workload.All(detectors).Select(w => w.Key)) + ".");
    return 1;
}

TorchRuntime.SetCpuThreads(threads);
using var worker = useTorch ? TorchWorker.TryStart(threads, Console.Out) : null;
var machine = MachineInfo.Describe(threads, worker).ToList();
machine.ForEach(Console.WriteLine);

var folder = Directory.CreateTempSubdirectory("anomaly-benchmarks-").FullName;
if (folder.Any(char.IsWhiteSpace))
{
    throw new InvalidOperationException($"The temporary folder '{folder}' has white space, which the PyTorch worker's specs cannot carry.");
}

var prepared = new List<PreparedWorkload>();
try
{
    foreach (var workload in workloads)
    {
        Console.WriteLine($"preparing: {workload.Label}");
        prepared.Add(workload.Kind == WorkloadKind.TrainingStep
            ? PreparedWorkload.ForTraining(workload, threads)
            : PreparedWorkload.ForScoring(workload, threads, folder, worker));
        Console.WriteLine($"  PyTorch spec: {prepared[^1].TorchSpec}");
        if (prepared[^1].Agreement is { } agreement)
        {
            Console.WriteLine($"  PyTorch twin on the same weights and images: {agreement}");
        }
    }

    var timings = new InterleavedRunner(worker, rounds, Console.Out).Run(prepared);

    // Stop the training threads before the memory children, which then have the machine to themselves.
    prepared.ForEach(p => p.Dispose());
    var memory = new List<MemoryResult>();
    if (measureMemory)
    {
        foreach (var p in prepared)
        {
            Console.WriteLine($"peak memory: {p.Workload.Label}");
            memory.Add(PeakMemory.Measure(p, threads, worker is not null));
        }
    }

    var table = ResultTable.Render(timings, memory);
    var notes = prepared.Where(p => p.Agreement is not null).Select(p => $"- {p.Workload.Key}: PyTorch twin's scores on the same weights and images, {p.Agreement}.").ToList();
    notes.AddRange(ResultTable.MemoryNotes(memory));
    machine.Add($"Load average at the end: {MachineInfo.LoadAverage()}.");
    Console.WriteLine();
    Console.WriteLine(table);
    notes.ForEach(Console.WriteLine);
    Console.WriteLine(machine[^1]);
    if (markdownPath is not null)
    {
        var command = ("dotnet run -c Release --project benchmarks/AnomalyDetection.Benchmarks -- " + string.Join(' ', args)).TrimEnd();
        List<string> lines = [$"Command: `{command}` ({rounds} interleaved rounds, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC).", ""];
        lines.AddRange(machine.Select(m => "- " + m));
        lines.Add("");
        lines.Add(table);
        lines.AddRange(notes);
        File.WriteAllLines(markdownPath, lines);
        Console.WriteLine($"wrote {markdownPath}");
    }

    return 0;
}
finally
{
    prepared.ForEach(p => p.Dispose());
    Directory.Delete(folder, recursive: true);
}
