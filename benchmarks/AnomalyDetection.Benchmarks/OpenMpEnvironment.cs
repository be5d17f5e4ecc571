using System.Diagnostics;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Makes sure this process runs with <c>OMP_WAIT_POLICY</c> set before LibTorch loads. LibTorch's OpenMP runtime
/// (libgomp) reads the variable once, when the library is loaded, and by default its idle threads spin; on a shared
/// 2-core host a spinning thread that another process preempts slows every parallel region several-fold. .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change the native environment that
/// libgomp reads, so the only reliable way is to start the process with it: when it is missing, the console starts
/// itself again with <c>PASSIVE</c> and relays the exit code. The PyTorch worker gets the same value.
/// </summary>
internal static class OpenMpEnvironment
{
    public const string Variable = "OMP_WAIT_POLICY";

    private const string Passive = "PASSIVE";

    /// <summary>The value this process runs with (after <see cref="RelaunchIfUnset"/>, never empty).</summary>
    public static string Value => Environment.GetEnvironmentVariable(Variable) ?? "(unset)";

    /// <summary>Runs this console again with <c>OMP_WAIT_POLICY=PASSIVE</c> when the variable is unset.</summary>
    /// <returns>The relaunched run's exit code, or null when the variable was set and this process should carry on.</returns>
    public static int? RelaunchIfUnset(IReadOnlyList<string> args)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return null;
        }

        var start = SelfStart(args);
        start.Environment[Variable] = Passive;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmark console again.");
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>How to start this console again: the apphost, or <c>dotnet</c> with this assembly, whichever runs now.
    /// The child inherits this process's environment.</summary>
    public static ProcessStartInfo SelfStart(IEnumerable<string> args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this process's executable.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(OpenMpEnvironment).Assembly.Location);
        }

        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
