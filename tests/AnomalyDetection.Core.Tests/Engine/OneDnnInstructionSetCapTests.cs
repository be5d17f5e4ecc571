using AnomalyDetection.Engine;

namespace AnomalyDetection.Core.Tests.Engine;

public sealed class OneDnnInstructionSetCapTests
{
    [Fact]
    public void EnsureAvailable_OnLinux_CapsOneDnnAtSse41UnlessTheUserChoseALimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the cap is applied on Linux only; CI runs there
        }

        var userLimit = OneDnnInstructionSetCap.Variables
            .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .FirstOrDefault(variable => !string.IsNullOrEmpty(variable.value));

        TorchRuntime.EnsureAvailable();

        if (userLimit.name is null)
        {
            Assert.Equal(OneDnnInstructionSetCap.DefaultCap, OneDnnInstructionSetCap.ReadNative("ONEDNN_MAX_CPU_ISA"));
        }
        else
        {
            Assert.Equal(userLimit.value, OneDnnInstructionSetCap.ReadNative(userLimit.name));
        }
    }
}
