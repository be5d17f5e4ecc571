using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.PatchGan.Tests;

public class PatchGanDependencyInjectionTests
{
    [Fact]
    public void AddPatchGan_ByName_ResolvesOneConfiguredDetectorByKeyAndThroughTheProvider()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection()
            .AddPatchGan("brain", o => (o.ImageSize, o.PatchSize) = (64, 32))
            .AddPatchGan("skin", o => o.Channels = 3);
        using var provider = services.BuildServiceProvider();

        var brain = provider.GetRequiredKeyedService<IAnomalyDetector>("brain");
        var skin = Assert.IsType<PatchGanDetector>(provider.GetRequiredService<IAnomalyDetectorProvider>().Get("skin"));

        var detector = Assert.IsType<PatchGanDetector>(brain);
        Assert.Same(brain, provider.GetRequiredService<IAnomalyDetectorProvider>().Get("brain"));
        Assert.Equal((64, 32, 1), (detector.Options.ImageSize, detector.Options.PatchSize, detector.Options.Channels));
        Assert.Equal((128, 3), (skin.Options.ImageSize, skin.Options.Channels));
        Assert.False(detector.IsFitted);
    }

    [Fact]
    public void AddPatchGan_FromConfiguration_BindsEveryKindOfSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Detectors:Brain:ImageSize"] = "64",
            ["Detectors:Brain:Ranking"] = "Learned",
            ["Detectors:Brain:Discriminator"] = "FullyConvolutional",
            ["Detectors:Brain:DiscriminatorLayers"] = "4",
            ["Detectors:Brain:MaskRatioMax"] = "0.4",
            ["Detectors:Brain:MaxSteps"] = "500",
            ["Detectors:Brain:UseMasking"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddPatchGan("brain", configuration.GetSection("Detectors:Brain"));
        using var provider = services.BuildServiceProvider();

        var options = Assert.IsType<PatchGanDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("brain")).Options;

        Assert.Equal(64, options.ImageSize);
        Assert.Equal(PatchRanking.Learned, options.Ranking);
        Assert.Equal(PatchDiscriminatorKind.FullyConvolutional, options.Discriminator);
        Assert.Equal(4, options.DiscriminatorLayers);
        Assert.Equal(0.4, options.MaskRatioMax);
        Assert.Equal(500, options.MaxSteps);
        Assert.False(options.UseMasking);
        Assert.Equal(16, options.PatchSize);
    }

    [Fact]
    public void AddPatchGan_InvalidOptions_FailsOnResolutionNamingTheDetectorAndValue()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddPatchGan("bad", o => o.PatchSize = 24);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IAnomalyDetector>("bad"));

        Assert.Contains("Detector 'bad': PatchSize must be a divisor of ImageSize (128)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(was 24)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromFile_SavedPatchGan_LoadsThroughTheRegisteredLoaderOnce()
    {
        var detector = new PatchGanDetector(Tiny.Options(steps: 2));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 20)));
        var path = Path.Combine(Path.GetTempPath(), $"patchgan-{Guid.NewGuid():N}.adm");
        try
        {
            await detector.SaveAsync(path);
            var services = new ServiceCollection();
            services.AddAnomalyDetection()
                .AddPatchGan("one", o => o.ImageSize = 64)
                .AddPatchGan("two", o => o.ImageSize = 64)
                .FromFile("saved", path);
            using var provider = services.BuildServiceProvider();

            var loaded = Assert.IsType<PatchGanDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("saved"));

            Assert.Single(provider.GetServices<IAnomalyModelLoader>(), l => l.Kind == "patchgan");
            Assert.True(loaded.IsFitted);
            var image = SyntheticScans.Test(1, 0, seed: 21, drawNoiseUnderLesion: true)[0].LoadImage();
            Assert.Equal(detector.Predict(image).Score, loaded.Predict(image).Score);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
