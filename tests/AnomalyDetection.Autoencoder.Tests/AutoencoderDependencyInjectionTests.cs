using AnomalyDetection.Autoencoder.Tests.Helpers;
using AnomalyDetection.TestSupport;
using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Autoencoder.Tests;

public class AutoencoderDependencyInjectionTests
{
    [Fact]
    public void AddAutoencoder_ByName_ResolvesEachConfiguredDetectorByKeyAndThroughTheProvider()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection()
            .AddAutoencoder("chest", o => (o.ImageSize, o.Depth) = (28, 2))
            .AddAutoencoder("skin", o => o.Channels = 3);
        using var provider = services.BuildServiceProvider();

        var chest = Assert.IsType<AutoencoderDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("chest"));
        var skin = Assert.IsType<AutoencoderDetector>(provider.GetRequiredService<IAnomalyDetectorProvider>().Get("skin"));

        Assert.Same(chest, provider.GetRequiredService<IAnomalyDetectorProvider>().Get("chest"));
        Assert.Equal((28, 2, 1), (chest.Options.ImageSize, chest.Options.Depth, chest.Options.Channels));
        Assert.Equal((64, 3), (skin.Options.ImageSize, skin.Options.Channels));
        Assert.False(chest.IsFitted);
    }

    [Fact]
    public void AddAutoencoder_FromConfiguration_BindsEveryKindOfSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Detectors:Chest:ImageSize"] = "28",
            ["Detectors:Chest:Loss"] = "L1",
            ["Detectors:Chest:LatentChannels"] = "8",
            ["Detectors:Chest:ScoreTopFraction"] = "0.05",
            ["Detectors:Chest:MaxSteps"] = "500",
        }).Build();
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddAutoencoder("chest", configuration.GetSection("Detectors:Chest"));
        using var provider = services.BuildServiceProvider();

        var options = Assert.IsType<AutoencoderDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("chest")).Options;

        Assert.Equal(28, options.ImageSize);
        Assert.Equal(ReconstructionLoss.L1, options.Loss);
        Assert.Equal(8, options.LatentChannels);
        Assert.Equal(0.05, options.ScoreTopFraction);
        Assert.Equal(500, options.MaxSteps);
        Assert.Equal(4, options.Depth);
    }

    [Fact]
    public void AddAutoencoder_InvalidOptions_FailsOnResolutionNamingTheDetectorAndValue()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddAutoencoder("bad", o => o.Depth = 7);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IAnomalyDetector>("bad"));

        Assert.Contains("Detector 'bad': Depth must be such that ImageSize (64) is larger than 2^depth", error.Message, StringComparison.Ordinal);
        Assert.Contains("(was 7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromFile_SavedAutoencoder_LoadsThroughTheRegisteredLoaderOnce()
    {
        var detector = new AutoencoderDetector(Tiny.Options(steps: 2));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 20)));
        var path = Path.Combine(Path.GetTempPath(), $"autoencoder-{Guid.NewGuid():N}.adm");
        try
        {
            await detector.SaveAsync(path);
            var services = new ServiceCollection();
            services.AddAnomalyDetection()
                .AddAutoencoder("one", o => o.ImageSize = 32)
                .AddAutoencoder("two", o => o.ImageSize = 32)
                .FromFile("saved", path);
            using var provider = services.BuildServiceProvider();

            var loaded = Assert.IsType<AutoencoderDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("saved"));

            Assert.Single(provider.GetServices<IAnomalyModelLoader>(), l => l.Kind == "autoencoder");
            Assert.True(loaded.IsFitted);
            var image = SyntheticScans.Test(1, 0, seed: 21)[0].LoadImage();
            Assert.Equal(detector.Predict(image).Score, loaded.Predict(image).Score);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
