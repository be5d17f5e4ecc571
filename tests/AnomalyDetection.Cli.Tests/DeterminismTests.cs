using System.Diagnostics;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli.Tests;

/// <summary>
/// One seed and one thread count reproduce a trained model bit for bit in separate processes: the tool is started twice
/// as its own process (a fresh LibTorch each time) and the weights of the two model files are compared.
/// </summary>
public class DeterminismTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>
{
    public static TheoryData<string, string> Detectors => new()
    {
        { "sagan", TinyOptions.Sagan },
        { "patchgan", TinyOptions.PatchGan },
        { "autoencoder", TinyOptions.Autoencoder },
    };

    [Theory]
    [MemberData(nameof(Detectors))]
    public async Task Train_TwoProcessesSameSeedAndThreads_WriteBitIdenticalWeights(string detector, string tinyOptions)
    {
        var options = TinyOptions.Write(data.PathFor(detector + ".json"), tinyOptions.Replace("\"seed\": 5", "\"seed\": 5, \"threads\": 2", StringComparison.Ordinal));
        var first = data.PathFor(detector + "-first.adm");
        var second = data.PathFor(detector + "-second.adm");

        await TrainInOwnProcessAsync(detector, options, first);
        await TrainInOwnProcessAsync(detector, options, second);

        var (_, a) = await ModelFile.ReadAsync(first);
        var (_, b) = await ModelFile.ReadAsync(second);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, tensor) in a)
        {
            Assert.True(
                TensorData.ToArray(tensor).Select(BitConverter.SingleToInt32Bits).SequenceEqual(TensorData.ToArray(b[name]).Select(BitConverter.SingleToInt32Bits)),
                $"{detector}: weight '{name}' differs between the two processes");
        }
    }

    private async Task TrainInOwnProcessAsync(string detector, string options, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "anomaly-detect.dll"), "train", "--detector", detector, "--data", data.Root, "--options", options, "--output", output })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{detector} training process exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
