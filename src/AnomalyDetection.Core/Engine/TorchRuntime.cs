using System.Globalization;
using TorchSharp;

namespace AnomalyDetection.Engine;

/// <summary>
/// Where detectors compute: checks that a TorchSharp backend is present (capping oneDNN's CPU kernels at SSE4.1 on
/// Linux machines with an AMD processor that has AVX-512, unless <c>ONEDNN_MAX_CPU_ISA</c> is set), parses device
/// names and sets the CPU thread count.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _checked;

    /// <summary>The message given when no native backend loads.</summary>
    public const string MissingBackendMessage =
        "TorchSharp's native backend could not be loaded. Applications choose it: add the package TorchSharp-cpu " +
        "(any platform), TorchSharp-cuda-windows or TorchSharp-cuda-linux (NVIDIA GPUs). On Debian 12 or Ubuntu 22.04, " +
        "build with the AnomalyDetection packages' build targets left on (they make the native library load with libstdc++ 12).";

    /// <summary>Loads the native backend once, or explains which package is missing.</summary>
    /// <exception cref="InvalidOperationException">No backend loads; the message names the packages to add.</exception>
    public static void EnsureAvailable()
    {
        if (Volatile.Read(ref _checked))
        {
            return;
        }

        lock (Gate)
        {
            if (_checked)
            {
                return;
            }

            OneDnnInstructionSetCap.Apply();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                throw new InvalidOperationException(MissingBackendMessage + " (" + Innermost(ex).Message + ")", ex);
            }

            Volatile.Write(ref _checked, true);
        }
    }

    /// <summary>Parses a device name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <returns>The device; CUDA devices are checked for availability.</returns>
    /// <exception cref="ArgumentException">The name is malformed, or CUDA is asked for but not available.</exception>
    public static torch.Device ParseDevice(string name)
    {
        var error = DeviceError(name);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(name));
        }

        EnsureAvailable();
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed == "cpu")
        {
            return torch.CPU;
        }

        if (!torch.cuda.is_available())
        {
            throw new ArgumentException(
                $"Device '{name}' asks for CUDA, but no CUDA backend is available: reference TorchSharp-cuda-windows or TorchSharp-cuda-linux and check the NVIDIA driver, or use 'cpu'.",
                nameof(name));
        }

        var index = trimmed == "cuda" ? 0 : int.Parse(trimmed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture);
        if (index >= torch.cuda.device_count())
        {
            throw new ArgumentException($"Device '{name}' does not exist: this machine has {torch.cuda.device_count()} CUDA device(s).", nameof(name));
        }

        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>Why <paramref name="name"/> is not a device name, or null when it is well formed.</summary>
    /// <param name="name">The name to check, without touching the backend.</param>
    public static string? DeviceError(string? name)
    {
        var trimmed = name?.Trim().ToLowerInvariant();
        if (trimmed is "cpu" or "cuda")
        {
            return null;
        }

        if (trimmed is not null && trimmed.StartsWith("cuda:", StringComparison.Ordinal) && trimmed.Length is > 5 and < 9 &&
            trimmed.AsSpan(5).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return null;
        }

        return $"Device is '{name}'; use 'cpu', 'cuda' or 'cuda:N' (N the GPU's index).";
    }

    /// <summary>Sets the threads LibTorch uses on the CPU for this process.</summary>
    /// <param name="threads">Positive; 0 leaves LibTorch's setting alone.</param>
    public static void SetCpuThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (threads == 0)
        {
            return;
        }

        EnsureAvailable();
        if (torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Names the engine for results tables, such as <c>TorchSharp 0.107.0 / LibTorch 2.10.0 cpu</c>.</summary>
    /// <param name="device">The device the work ran on.</param>
    public static string Describe(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        EnsureAvailable();
        var version = typeof(torch).Assembly.GetName().Version;
        return string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp {version?.Major}.{version?.Minor}.{version?.Build} / LibTorch {torch.__version__} {device.type.ToString().ToLowerInvariant()}");
    }

    /// <summary>The limit on oneDNN's CPU instruction sets in force for this process (the native
    /// <c>ONEDNN_MAX_CPU_ISA</c> or <c>DNNL_MAX_CPU_ISA</c>, set by the user or by the engine's cap on AMD processors with
    /// AVX-512), or null when oneDNN uses the widest kernels the processor has. Results from different limits differ in
    /// the last bits, and training runs then diverge from each other.</summary>
    public static string? OneDnnInstructionSetLimit
    {
        get
        {
            EnsureAvailable();
            return OneDnnInstructionSetCap.Variables.Select(OneDnnInstructionSetCap.ReadNative).FirstOrDefault(value => !string.IsNullOrEmpty(value));
        }
    }

    /// <summary>The threads LibTorch uses on the CPU now.</summary>
    public static int CpuThreads
    {
        get
        {
            EnsureAvailable();
            return torch.get_num_threads();
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
