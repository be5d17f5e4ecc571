using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Peak resident memory of each workload, TorchSharp's and PyTorch's, each measured in a fresh process of its own so
/// that nothing else the console did is counted: the child runs the workload <see cref="Calls"/> times and reads
/// its peak resident set (VmHWM). It also reads its resident set just before building anything (after the engine
/// is loaded: the .NET runtime with LibTorch, or Python with torch imported), so the workload's own share is the
/// difference.
/// </summary>
internal static class PeakMemory
{
    /// <summary>The command-line switch that makes the console a measuring child.</summary>
    public const string ChildSwitch = "--peak-memory";

    /// <summary>Calls per child: the first (warm-up: allocator pools, oneDNN primitives) and three more.</summary>
    private const int Calls = 4;

    /// <summary>Measures one workload on both sides.</summary>
    public static MemoryResult Measure(PreparedWorkload prepared, int threads, bool useTorch)
    {
        var workload = prepared.Workload;
        var args = new List<string> { ChildSwitch, workload.Key, threads.ToString(CultureInfo.InvariantCulture) };
        if (prepared.ModelPath is { } model)
        {
            args.Add(model);
        }

        var ours = Parse(RunChild(OpenMpEnvironment.SelfStart(args)));
        Measurement? theirs = useTorch
            ? Parse(RunChild(TorchWorker.PythonStart(Path.Combine(AppContext.BaseDirectory, "torch_networks.py"),
                [ChildSwitch, prepared.TorchSpec, "--steps", Calls.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture)])))
            : null;
        return new MemoryResult(workload, ours, theirs);
    }

    /// <summary>The child's side: runs the workload and prints "baseline BYTES peak BYTES anon BYTES file BYTES".</summary>
    public static int MeasureInThisProcess(IReadOnlyList<DetectorBench> detectors, string key, int threads, string? modelPath)
    {
        // Load LibTorch and run one operation before the baseline, as the Python child imports torch before its own.
        TorchRuntime.SetCpuThreads(threads);
        using (var one = torch.ones(1))
        using (var two = one + 1)
        {
            _ = two.item<float>();
        }

        var baseline = StatusBytes("VmRSS");
        var workload = Workload.All(detectors).SingleOrDefault(w => w.Key == key) ?? throw new ArgumentException($"Unknown workload '{key}'.", nameof(key));
        if (workload.Kind == WorkloadKind.TrainingStep)
        {
            using var training = new SteppedTraining(workload.Detector.CreateForTraining(threads), workload.Detector.TrainingData());
            for (var call = 1; call < Calls; call++)
            {
                training.Step();
            }

            Report(baseline);
        }
        else
        {
            var detector = workload.Detector.LoadAsync(modelPath ?? throw new ArgumentException("Scoring needs the model file.", nameof(modelPath)))
                .GetAwaiter().GetResult();
            var images = SyntheticImages.Create(workload.Detector.BatchSize, workload.Detector.ImageSize, seed: 4);
            for (var call = 0; call < Calls; call++)
            {
                detector.PredictBatch(images);
            }

            Report(baseline);
        }

        return 0;
    }

    /// <summary>Prints the measurement, and the current resident set split into anonymous memory (tensors, heaps) and
    /// file pages (the engine's code and data mapped from its libraries), which explains where a difference lies.</summary>
    private static void Report(long baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline {baseline} peak {StatusBytes("VmHWM")} anon {StatusBytes("RssAnon")} file {StatusBytes("RssFile")}"));

    /// <summary>A field of /proc/self/status in bytes (getrusage's maximum would survive exec and count the parent).</summary>
    private static long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{field} is not in /proc/self/status.");
    }

    private static string RunChild(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var error = process.StandardError.ReadToEndAsync();
        var reply = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? reply
            : throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with code {process.ExitCode}: {reply} {error.Result}");
    }

    private static Measurement Parse(string reply)
    {
        var line = reply.Split('\n').LastOrDefault(l => l.StartsWith("baseline ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No measurement in the child's output: {reply}");
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Length; i += 2)
        {
            values[words[i]] = long.Parse(words[i + 1], CultureInfo.InvariantCulture);
        }

        return new Measurement(values["baseline"], values["peak"], values["anon"], values["file"]);
    }
}

/// <summary>One child's resident bytes: before building anything, at the peak, and at the end split into anonymous
/// and file-backed pages.</summary>
internal sealed record Measurement(long Baseline, long Peak, long Anonymous, long File);

/// <summary>One workload's measurements on both sides (PyTorch's null without it).</summary>
internal sealed record MemoryResult(Workload Workload, Measurement Ours, Measurement? Theirs);
