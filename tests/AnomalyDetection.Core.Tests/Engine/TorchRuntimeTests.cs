using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Engine;

public class TorchRuntimeTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("CPU")]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    [InlineData(" cuda:12 ")]
    public void DeviceError_WellFormedNames_IsNull(string name) => Assert.Null(TorchRuntime.DeviceError(name));

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    [InlineData(null)]
    public void DeviceError_OtherNames_QuotesTheNameAndTheChoices(string? name)
    {
        var error = TorchRuntime.DeviceError(name);

        Assert.Equal($"Device is '{name}'; use 'cpu', 'cuda' or 'cuda:N' (N the GPU's index).", error);
    }

    [Fact]
    public void ParseDevice_Cpu_IsTheCpu() => Assert.Equal(DeviceType.CPU, TorchRuntime.ParseDevice("cpu").type);

    [Fact]
    public void ParseDevice_CudaWithoutACudaBackend_SaysWhichPackageToAdd()
    {
        Assert.False(torch.cuda.is_available(), "the tests run on the CPU backend");

        var error = Assert.Throws<ArgumentException>(() => TorchRuntime.ParseDevice("cuda:0"));

        Assert.StartsWith("Device 'cuda:0' asks for CUDA, but no CUDA backend is available: reference TorchSharp-cuda-windows or TorchSharp-cuda-linux", error.Message);
    }

    [Fact]
    public void MissingBackendMessage_NamesEveryBackendPackage()
    {
        Assert.Contains("TorchSharp-cpu", TorchRuntime.MissingBackendMessage);
        Assert.Contains("TorchSharp-cuda-windows", TorchRuntime.MissingBackendMessage);
        Assert.Contains("TorchSharp-cuda-linux", TorchRuntime.MissingBackendMessage);
    }
}
