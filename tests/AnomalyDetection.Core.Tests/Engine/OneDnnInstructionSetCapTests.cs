using AnomalyDetection.Engine;

namespace AnomalyDetection.Core.Tests.Engine;

public sealed class OneDnnInstructionSetCapTests
{
    private const string Zen4 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 25
        flags		: fpu sse sse2 sse4_1 sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_vnni
        processor	: 1
        vendor_id	: AuthenticAMD
        """;

    [Fact]
    public void NeedsCap_AmdWithAvx512_IsTrue() => Assert.True(OneDnnInstructionSetCap.NeedsCap(Zen4));

    [Theory]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse4_1 sse4_2 avx avx2 fma\n")]                 // AVX2-only EPYC: sound
    [InlineData("vendor_id\t: GenuineIntel\nflags\t\t: fpu sse4_1 avx avx2 avx512f avx512bw avx512vl\n")]  // Intel with AVX-512: sound
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512fp16x\n")]                          // a flag that only starts alike
    [InlineData("")]                                                                                       // unreadable /proc/cpuinfo
    public void NeedsCap_OtherProcessors_IsFalse(string cpuInfo) => Assert.False(OneDnnInstructionSetCap.NeedsCap(cpuInfo));

    [Fact]
    public void EnsureAvailable_OnLinux_CapsOneDnnOnlyWhereTheProcessorNeedsItUnlessTheUserChoseALimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the cap is applied on Linux only; CI runs there
        }

        var userLimit = OneDnnInstructionSetCap.Variables
            .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .FirstOrDefault(variable => !string.IsNullOrEmpty(variable.value));

        TorchRuntime.EnsureAvailable();

        if (userLimit.name is not null)
        {
            Assert.Equal(userLimit.value, OneDnnInstructionSetCap.ReadNative(userLimit.name));
            Assert.Equal(userLimit.value, TorchRuntime.OneDnnInstructionSetLimit);
        }
        else
        {
            var expected = OneDnnInstructionSetCap.NeedsCap(OneDnnInstructionSetCap.ReadCpuInfo()) ? OneDnnInstructionSetCap.SafeCap : null;
            Assert.Equal(expected, OneDnnInstructionSetCap.ReadNative("ONEDNN_MAX_CPU_ISA"));
            Assert.Equal(expected, TorchRuntime.OneDnnInstructionSetLimit);
        }
    }
}
