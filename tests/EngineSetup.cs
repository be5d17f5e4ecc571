using System.Runtime.CompilerServices;

namespace AnomalyDetection.Tests;

/// <summary>Prepares the engine before any test runs, as a detector does before its first tensor work.</summary>
internal static class EngineSetup
{
    // Component tests build networks without a detector; the engine's process-wide settings (oneDNN's kernel cap)
    // must still be in place before the first convolution of the test run.
#pragma warning disable CA2255 // a test assembly, not a library: running once at load is the point
    [ModuleInitializer]
    internal static void Prepare() => Engine.TorchRuntime.EnsureAvailable();
#pragma warning restore CA2255
}
