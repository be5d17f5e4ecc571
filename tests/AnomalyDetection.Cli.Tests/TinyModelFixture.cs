namespace AnomalyDetection.Cli.Tests;

/// <summary>The synthetic data set and a tiny autoencoder trained on it once, for tests that only score with it.</summary>
public sealed class TinyModelFixture : IAsyncLifetime
{
    public SyntheticDataset Data { get; } = new();

    /// <summary>The trained model file.</summary>
    public string Model { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var model = Data.PathFor("tiny.adm");
        var options = TinyOptions.Write(Data.PathFor("tiny.json"), TinyOptions.Autoencoder);
        var train = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", Data.Root, "--options", options, "--output", model);
        Assert.True(train.ExitCode == 0, train.Error);
        Model = model;
    }

    public Task DisposeAsync()
    {
        Data.Dispose();
        return Task.CompletedTask;
    }
}
