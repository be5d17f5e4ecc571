using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using AnomalyDetection.Engine;

namespace AnomalyDetection.Evaluation;

/// <summary>What a results row records about where and from what code it ran.</summary>
internal static class MachineInfo
{
    /// <summary>The processor model (from /proc/cpuinfo where it exists), the operating system and, where one is in
    /// force, the limit on oneDNN's kernels (it changes the numbers in the last bits, and so whole training runs).</summary>
    public static string Describe()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var limit = TorchRuntime.OneDnnInstructionSetLimit is { } isa ? $", oneDNN kernels capped at {isa}" : string.Empty;
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.OSDescription}{limit}";
    }

    /// <summary>The informational version of the assembly holding <paramref name="type"/>.</summary>
    public static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The short commit hash of the working directory's repository, "+dirty" when tracked files changed; null
    /// when git is unavailable.</summary>
    public static string? Commit()
    {
        var head = Git("rev-parse --short HEAD");
        return head is null ? null : Git("status --porcelain --untracked-files=no") is { Length: > 0 } ? head + "+dirty" : head;
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
