using System.Diagnostics;
using System.Globalization;

namespace AnomalyDetection.Benchmarks;

/// <summary>The PyTorch reference process (benchmarks/torch_reference.py), driven one command at a time.</summary>
internal sealed class TorchWorker : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;

    private TorchWorker(Process process, string version)
    {
        _process = process;
        Version = version;
    }

    /// <summary>The worker's greeting, such as "2.1.0 threads 2".</summary>
    public string Version { get; }

    /// <summary>Starts the worker, or returns null and says why when Python or PyTorch is missing.</summary>
    public static TorchWorker? TryStart(TextWriter log)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "torch_reference.py");
        if (!File.Exists(Python))
        {
            log.WriteLine($"PyTorch not installed ({Python} not found); timing the managed engine only.");
            return null;
        }

        var start = new ProcessStartInfo(Python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var greeting = process.StandardOutput.ReadLine() ?? "";
        if (!greeting.StartsWith("ready ", StringComparison.Ordinal))
        {
            log.WriteLine(greeting.Length > 0 ? greeting : "PyTorch not installed");
            process.WaitForExit();
            process.Dispose();
            return null;
        }

        return new TorchWorker(process, greeting["ready ".Length..]);
    }

    /// <summary>Runs <paramref name="spec"/> <paramref name="iterations"/> times and returns the seconds per iteration.</summary>
    public double Time(string spec, int iterations)
    {
        _process.StandardInput.WriteLine($"{iterations} {spec}");
        _process.StandardInput.Flush();
        var reply = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The PyTorch worker exited.");
        return double.TryParse(reply, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new InvalidOperationException($"PyTorch worker: {reply}");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
