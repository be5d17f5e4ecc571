using System.Runtime.InteropServices;

namespace AnomalyDetection.Engine;

/// <summary>
/// Caps LibTorch's oneDNN convolution kernels at SSE4.1 on Linux unless the application chose a limit itself.
/// </summary>
/// <remarks>
/// On an AMD EPYC guest with AVX-512 (not on the AVX2-only EPYC machines used before), LibTorch 2.10's oneDNN 3.7
/// convolution kernels for AVX, AVX2 and AVX-512 made GAN training give NaN losses at its first steps on some runs
/// and not others, with the same seed and one thread; the quick start failed every time. Capped at SSE4.1, every
/// test run was finite and bit-reproducible, and a SAGAN training step took the same time as uncapped on the
/// AVX2-only machines (about 1 s for the quick start's network on 2 cores). oneDNN reads the limit from the
/// process environment once, at its first convolution, so it is set before any tensor work; .NET's own
/// environment API does not reach the native environment on Unix, hence <c>setenv</c>.
/// </remarks>
internal static partial class OneDnnInstructionSetCap
{
    /// <summary>The environment variables oneDNN reads; either one set by the user wins.</summary>
    internal static readonly string[] Variables = ["ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"];

    /// <summary>The cap applied when the user set none.</summary>
    internal const string DefaultCap = "SSE41";

    /// <summary>Sets the cap in the native environment when neither variable is set; does nothing off Linux.</summary>
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Array.Exists(Variables, name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))))
        {
            return;
        }

        // overwrite = 0: a value set natively by a host process stays.
        _ = SetEnvironmentVariable(Variables[0], DefaultCap, 0);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentVariable(string name, string value, int overwrite);

    /// <summary>The value of <paramref name="name"/> in the native environment, for tests.</summary>
    internal static string? ReadNative(string name) => Marshal.PtrToStringUTF8(GetEnvironmentVariable(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnvironmentVariable(string name);
}
