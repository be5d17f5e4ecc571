using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// The "memory" group: the peak resident set of a few training steps, ours and PyTorch's, each measured in a fresh
/// process of its own so that nothing else the console did (other cases, the other engine) is counted.
/// </summary>
/// <remarks>
/// A process's peak resident set (VmHWM) includes what it holds before any tensor exists: the .NET runtime, or the
/// Python interpreter with torch's libraries mapped in. Each child therefore also reports its resident set just
/// before building the networks, and the step's own cost is the difference.
/// </remarks>
internal static class PeakMemory
{
    /// <summary>The command-line switch that makes the console a measuring child.</summary>
    public const string ChildSwitch = "--peak-memory";

    private const int Steps = 5;
    private static readonly string[] Specs = ["dcgan-step 16 64", "unet-step 16 64"];

    /// <summary>Measures every workload in fresh processes and prints the table.</summary>
    /// <remarks>Ours is measured twice: with the runtime's default GC settings, and with
    /// <c>GCConserveMemory=7</c>, which makes the GC collect the large-object heap sooner (see docs/performance.md).</remarks>
    public static void Report(TextWriter output, bool useTorch, int threads)
    {
        output.WriteLine();
        output.WriteLine($"Peak resident memory over {Steps} training steps, each in a fresh process (MB; Δ = peak − resident set before building the networks).");
        output.WriteLine($"{"workload",-18} {"ours Δ",7} {"conserve",8} {"torch Δ",8} {"ours/torch",10} {"conserve/torch",14}   {"ours: MB allocated/step, GCs gen0/1/2 per step, GC pause/step"}");
        foreach (var spec in Specs)
        {
            var ours = Parse(RunChild(OurChild(spec, threads)));
            var conserving = OurChild(spec, threads);
            conserving.Environment["DOTNET_GCConserveMemory"] = "7";
            var conserve = Parse(RunChild(conserving));
            var torch = useTorch ? Parse(RunChild(TorchChild(spec))) : null;
            var line = Format($"{spec,-18} {Growth(ours),7:F0} {Growth(conserve),8:F0}");
            line += torch is null
                ? Format($" {"-",8} {"-",10} {"-",14}")
                : Format($" {Growth(torch),8:F0} {Growth(ours) / Growth(torch),10:F2} {Growth(conserve) / Growth(torch),14:F2}");
            output.WriteLine(line + Format($"   {ours["allocated"] / 1e6:F0} MB, {ours["gen0"]:F1}/{ours["gen1"]:F1}/{ours["gen2"]:F1}, {ours["pause"] * 1e3:F0} ms"));
        }
    }

    private static double Growth(Dictionary<string, double> measurement) => (measurement["peak"] - measurement["baseline"]) / 1e6;

    /// <summary>The child's side: builds <paramref name="spec"/>, runs it, prints "key value" pairs on one line.</summary>
    public static int MeasureInThisProcess(string spec, int threads)
    {
        Parallelism.ThreadCount = threads;
        var baseline = Environment.WorkingSet;
        var run = Workloads.Create(spec);
        run();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var pause = GC.GetTotalPauseDuration();
        for (var step = 1; step < Steps; step++)
        {
            run();
        }

        using var self = Process.GetCurrentProcess();
        double PerStep(double total) => total / (Steps - 1);
        Console.WriteLine(
            Format($"baseline {baseline} peak {self.PeakWorkingSet64} allocated {PerStep(GC.GetTotalAllocatedBytes(precise: true) - allocated)} ") +
            Format($"gen0 {PerStep(GC.CollectionCount(0) - collections[0])} gen1 {PerStep(GC.CollectionCount(1) - collections[1])} ") +
            Format($"gen2 {PerStep(GC.CollectionCount(2) - collections[2])} pause {PerStep((GC.GetTotalPauseDuration() - pause).TotalSeconds)}"));
        return 0;
    }

    private static ProcessStartInfo OurChild(string spec, int threads)
    {
        // Run as "dotnet Benchmarks.dll" or as the apphost, whichever started this process; the child inherits the
        // environment, so GC settings given to the console apply to the measurement too.
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this process's executable.");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PeakMemory).Assembly.Location);
        }

        start.ArgumentList.Add(ChildSwitch);
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        return start;
    }

    private static ProcessStartInfo TorchChild(string spec) =>
        new("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "torch_networks.py"), ChildSwitch, spec, "--steps", Steps.ToString(CultureInfo.InvariantCulture)]);

    private static string RunChild(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var reply = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? reply : throw new InvalidOperationException($"{start.FileName} exited with code {process.ExitCode}: {reply}");
    }

    private static Dictionary<string, double> Parse(string reply)
    {
        var words = reply.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Length; i += 2)
        {
            values[words[i]] = double.Parse(words[i + 1], CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
