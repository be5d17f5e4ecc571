using System.Runtime.InteropServices;

namespace AnomalyDetection.Engine;

/// <summary>
/// Caps LibTorch's oneDNN convolution kernels at SSE4.1 on Linux machines with an AMD processor that has AVX-512,
/// unless the application chose a limit itself.
/// </summary>
/// <remarks>
/// <para>On an AMD EPYC guest with AVX-512 (Zen 4), LibTorch 2.10's oneDNN 3.7 convolution kernels for AVX, AVX2 and
/// AVX-512 made GAN training give NaN losses at its first steps on some runs and not others, with the same seed and
/// one thread; capped at SSE4.1 every run was finite and bit-reproducible. The same kernels were sound on an AVX2-only
/// AMD EPYC and on an Intel Xeon with AVX-512, where the cap would make training three to four times slower, so it
/// applies to AMD processors with AVX-512 only.</para>
/// <para>oneDNN reads the limit from the process environment once, at its first convolution, so it is set before any
/// tensor work; .NET's own environment API does not reach the native environment on Unix, hence <c>setenv</c>.</para>
/// </remarks>
internal static partial class OneDnnInstructionSetCap
{
    /// <summary>The environment variables oneDNN reads; either one set by the user wins.</summary>
    internal static readonly string[] Variables = ["ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"];

    /// <summary>The cap applied on the processors that need it when the user set none.</summary>
    internal const string SafeCap = "SSE41";

    private const string CpuInfoPath = "/proc/cpuinfo";

    /// <summary>Sets the cap in the native environment when this processor needs it and neither variable is set;
    /// does nothing off Linux.</summary>
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Array.Exists(Variables, name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))))
        {
            return;
        }

        if (NeedsCap(ReadCpuInfo()))
        {
            // overwrite = 0: a value set natively by a host process stays.
            _ = SetEnvironmentVariable(Variables[0], SafeCap, 0);
        }
    }

    /// <summary>Whether the processor described by <paramref name="cpuInfo"/> (the text of <c>/proc/cpuinfo</c>) is an
    /// AMD processor with AVX-512, where oneDNN's wider kernels gave NaN.</summary>
    internal static bool NeedsCap(string cpuInfo)
    {
        string? vendor = null;
        string? flags = null;
        foreach (var line in cpuInfo.AsSpan().EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (vendor is null && key.SequenceEqual("vendor_id"))
            {
                vendor = value.ToString();
            }
            else if (flags is null && key.SequenceEqual("flags"))
            {
                flags = value.ToString();
            }

            if (vendor is not null && flags is not null)
            {
                break; // every processor repeats both; the first one's are enough
            }
        }

        return vendor == "AuthenticAMD" && flags is not null && flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("avx512f");
    }

    /// <summary>The value of <paramref name="name"/> in the native environment (which oneDNN reads), or null.</summary>
    internal static string? ReadNative(string name) => Marshal.PtrToStringUTF8(GetEnvironmentVariable(name));

    /// <summary>This machine's <c>/proc/cpuinfo</c>, or an empty string where it cannot be read.</summary>
    internal static string ReadCpuInfo()
    {
        try
        {
            return File.ReadAllText(CpuInfoPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentVariable(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironmentVariable(string name);
}
