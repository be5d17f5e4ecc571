using System.Diagnostics;
using System.Globalization;

namespace AnomalyDetection.Benchmarks;

/// <summary>The PyTorch process (benchmarks/torch_reference.py under Debian's Python), driven one command at a time.</summary>
internal sealed class TorchWorker : IDisposable
{
    /// <summary>Debian's interpreter, which has the <c>python3-torch</c> package; the first python3 on PATH may not.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;

    private TorchWorker(Process process, string greeting)
    {
        _process = process;
        Greeting = greeting;
    }

    /// <summary>The worker's greeting, such as "1.13.0a0 threads 2 blas /usr/lib/.../libopenblasp-r0.3.21.so core Zen".</summary>
    public string Greeting { get; }

    /// <summary>Starts the worker, or returns null and says why when Python or PyTorch is missing.</summary>
    public static TorchWorker? TryStart(int threads, TextWriter log)
    {
        if (!File.Exists(Python))
        {
            log.WriteLine($"PyTorch not available ({Python} not found); timing TorchSharp only.");
            return null;
        }

        var start = PythonStart(Path.Combine(AppContext.BaseDirectory, "torch_reference.py"), ["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var greeting = process.StandardOutput.ReadLine() ?? "";
        if (!greeting.StartsWith("ready ", StringComparison.Ordinal))
        {
            log.WriteLine((greeting.Length > 0 ? greeting : "PyTorch not available") + "; timing TorchSharp only.");
            process.WaitForExit();
            process.Dispose();
            return null;
        }

        return new TorchWorker(process, greeting["ready ".Length..]);
    }

    /// <summary>How to run a script with Debian's Python: the same OpenMP wait policy as this process, no user site
    /// packages (a torch installed with pip under ~/.local would shadow Debian's).</summary>
    public static ProcessStartInfo PythonStart(string script, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Python) { UseShellExecute = false };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(script);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[OpenMpEnvironment.Variable] = OpenMpEnvironment.Value;
        return start;
    }

    /// <summary>Runs <paramref name="spec"/> <paramref name="iterations"/> times and returns the seconds per iteration.</summary>
    public double Time(string spec, int iterations)
    {
        var reply = Ask(string.Create(CultureInfo.InvariantCulture, $"{iterations} {spec}"));
        return double.TryParse(reply, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new InvalidOperationException($"PyTorch worker: {reply}");
    }

    /// <summary>Runs a scoring spec once and returns its image scores.</summary>
    public double[] Scores(string spec)
    {
        var reply = Ask("scores " + spec);
        return reply.StartsWith("error ", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"PyTorch worker: {reply}")
            : [.. reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private string Ask(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The PyTorch worker exited.");
    }
}
