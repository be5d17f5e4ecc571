using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Sagan.Tests;

public class SaganServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSagan_WithAction_ResolvesByKeyAndThroughTheProvider()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddSagan("chest", o => { o.ConvDim = 8; o.RepeatNum = 2; });
        using var provider = services.BuildServiceProvider();

        var keyed = provider.GetRequiredKeyedService<IAnomalyDetector>("chest");
        var named = provider.GetRequiredService<IAnomalyDetectorProvider>().Get("chest");

        var sagan = Assert.IsType<SaganDetector>(keyed);
        Assert.Same(keyed, named);
        Assert.Equal((8, 2), (sagan.Options.ConvDim, sagan.Options.RepeatNum));
        Assert.Equal(8, sagan.Generator.ConvDim);
    }

    [Fact]
    public void AddSagan_WithConfiguration_BindsTheOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sagan:ConvDim"] = "12",
            ["Sagan:MaxSteps"] = "300",
            ["Sagan:TestStochasticMask"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddSagan("lungs", configuration.GetSection("Sagan"));
        using var provider = services.BuildServiceProvider();

        var sagan = Assert.IsType<SaganDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("lungs"));

        Assert.Equal((12, 300L, true), (sagan.Options.ConvDim, sagan.Options.MaxSteps, sagan.Options.TestStochasticMask));
    }

    [Fact]
    public void AddSagan_InvalidOptions_FailsWithTheValidationMessage()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddSagan("bad", o => o.ConvDim = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnomalyDetectorProvider>().Get("bad"));

        Assert.Contains("Detector 'bad': ConvDim must be in [1, 1024] (was 0).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSagan_RegistersTheLoaderThatFromFileUses()
    {
        var detector = new SaganDetector(Tiny.Options(iterations: 2));
        detector.Fit(Tiny.Data());
        var path = Path.Combine(Path.GetTempPath(), $"sagan-{Guid.NewGuid():N}.adm");
        try
        {
            await detector.SaveAsync(path);
            var services = new ServiceCollection();
            services.AddAnomalyDetection().AddSagan("a", o => o.ConvDim = 4).AddSagan("b", o => o.ConvDim = 4).FromFile("trained", path);
            using var provider = services.BuildServiceProvider();

            var loader = Assert.Single(provider.GetServices<IAnomalyModelLoader>());
            var loaded = Assert.IsType<SaganDetector>(provider.GetRequiredKeyedService<IAnomalyDetector>("trained"));

            Assert.Equal("sagan", loader.Kind);
            Assert.True(loaded.IsFitted);
            var image = SyntheticScans.GradientDataset("x", 1, Tiny.Size, 3, abnormal: true)[0].LoadImage();
            Assert.Equal(detector.Predict(image).Score, loaded.Predict(image).Score);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
