using System.Globalization;
using System.Runtime.InteropServices;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Benchmarks;

/// <summary>What the results depend on: processor, memory, runtimes, thread count and the settings of both engines.</summary>
internal static class MachineInfo
{
    public static IEnumerable<string> Describe(int threads, TorchWorker? worker)
    {
        yield return $"Machine: {CpuModel()}, {Environment.ProcessorCount} logical processors, {MemoryGigabytes()} GiB RAM; {RuntimeInformation.OSDescription}.";
        yield return $"TorchSharp: {TorchRuntime.Describe(torch.CPU)}, .NET {Environment.Version}, {threads} threads (torch.get_num_threads() = {torch.get_num_threads()}).";
        yield return $"PyTorch: {worker?.Greeting ?? "not run"}.";
        var blasSettings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("OPENBLAS_", StringComparison.Ordinal) || k.StartsWith("OMP_", StringComparison.Ordinal) || k.StartsWith("MKL_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}");
        yield return $"Environment of both engines: {string.Join(", ", blasSettings)}.";
        yield return $"Load average at start: {LoadAverage()}.";
    }

    /// <summary>/proc/loadavg's 1-, 5- and 15-minute figures: how busy the shared host was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo"))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var fields = File.ReadLines("/proc/cpuinfo")
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim())
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
        var flags = fields.GetValueOrDefault("flags", "").Split(' ');
        var vector = flags.Contains("avx512f") ? "AVX-512" : flags.Contains("avx2") ? "AVX2" : "no AVX2";
        return $"{fields.GetValueOrDefault("model name", "unknown CPU")} (family {fields.GetValueOrDefault("cpu family", "?")} model {fields.GetValueOrDefault("model", "?")}, {vector})";
    }

    private static string MemoryGigabytes()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null
            ? "?"
            : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
    }
}
