using AnomalyDetection.Autoencoder;
using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>
/// A fourth detector defined here, <see cref="TemplateDetector"/>, joins through its descriptor alone: one line
/// registers it, and DI, <c>FromFile</c> and a catalog then treat it as they treat the shipped kinds.
/// </summary>
public sealed class DetectorDescriptorTests
{
    [Fact]
    public async Task TemplateDescriptor_OneRegistrationLine_ResolvesFitsSavesAndLoadsByKind()
    {
        var folder = Directory.CreateTempSubdirectory("addesc");
        try
        {
            var path = Path.Combine(folder.FullName, "template.adm");
            var training = new ServiceCollection();
            training.AddAnomalyDetection().AddDetector(TemplateDetector.Descriptor, "tiny", o => { o.ImageSize = 16; o.BatchSize = 4; });
            IAnomalyDetector trained;
            using (var provider = training.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }))
            {
                trained = provider.GetRequiredKeyedService<IAnomalyDetector>("tiny");
                Assert.IsType<TemplateDetector>(trained);
                Assert.Equal(["template"], provider.GetRequiredService<DetectorCatalog>().Kinds);
                trained.Fit(new TrainingData(SyntheticImages.Dataset("normal", 24, 16, 1, 3, anomalous: false)));
                await trained.SaveAsync(path);
            }

            // A host that only reads model files registers the kind, not a named untrained detector.
            var scoring = new ServiceCollection();
            scoring.AddAnomalyDetection().AddDetectorKind(TemplateDetector.Descriptor).FromFile("production", path);
            using var scoringProvider = scoring.BuildServiceProvider();
            var loaded = Assert.IsType<TemplateDetector>(scoringProvider.GetRequiredKeyedService<IAnomalyDetector>("production"));

            var image = SyntheticImages.TestSet(16, 1, 4).First(i => i.Label == AnomalyDetection.Data.AnomalyLabel.Abnormal).LoadImage();
            Assert.True(loaded.IsFitted);
            Assert.Equal(trained.Predict(image).Score, loaded.Predict(image).Score);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddDetector_KindChosenFromConfiguration_BindsTheOptionsOfThatKind()
    {
        var catalog = new DetectorCatalog(SaganDetector.Descriptor, PatchGanDetector.Descriptor, AutoencoderDetector.Descriptor, TemplateDetector.Descriptor);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kind"] = "template",
            ["Options:ImageSize"] = "16",
            ["Options:Epochs"] = "3",
        }).Build();
        var descriptor = catalog.Find(configuration["Kind"]);
        Assert.NotNull(descriptor);
        var services = new ServiceCollection();
        services.AddAnomalyDetection().AddDetector(descriptor, "configured", configuration.GetSection("Options"));
        using var provider = services.BuildServiceProvider();

        var detector = Assert.IsType<TemplateDetector>(provider.GetRequiredService<IAnomalyDetectorProvider>().Get("configured"));

        Assert.Equal(3, detector.Options.Epochs);
        Assert.Equal(16, detector.Options.ImageSize);
    }

    [Fact]
    public void AddDetector_SameKindTwice_RegistersOneModelLoader()
    {
        var services = new ServiceCollection();
        services.AddAnomalyDetection()
            .AddDetector(TemplateDetector.Descriptor, "a", _ => { })
            .AddDetector(TemplateDetector.Descriptor, "b", _ => { })
            .AddSagan("c", _ => { });
        using var provider = services.BuildServiceProvider();

        Assert.Equal(["template", "sagan"], provider.GetServices<IAnomalyModelLoader>().Select(l => l.Kind));
        Assert.Equal(["template", "sagan"], provider.GetRequiredService<DetectorCatalog>().Kinds);
    }

    [Fact]
    public void Catalog_ListsKindsInOrder_FindsByName_AndRefusesARepeatedKind()
    {
        var catalog = new DetectorCatalog(SaganDetector.Descriptor, PatchGanDetector.Descriptor, AutoencoderDetector.Descriptor, TemplateDetector.Descriptor);

        Assert.Equal(["sagan", "patchgan", "autoencoder", "template"], catalog.Kinds);
        Assert.Same(TemplateDetector.Descriptor, catalog.Find("TEMPLATE", StringComparison.OrdinalIgnoreCase));
        Assert.Null(catalog.Find("TEMPLATE"));
        Assert.Null(catalog.Find("vae"));
        var repeated = Assert.Throws<ArgumentException>(() => new DetectorCatalog(TemplateDetector.Descriptor, TemplateDetector.Descriptor));
        Assert.Contains("'template' is listed more than once", repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptor_CreateOptionsAndCreate_BuildAnUntrainedDetectorOfItsKind()
    {
        DetectorDescriptor descriptor = TemplateDetector.Descriptor;
        var options = descriptor.CreateOptions();
        options.ImageSize = 16;

        var detector = descriptor.Create(options);

        Assert.Equal(typeof(TemplateDetectorOptions), descriptor.OptionsType);
        Assert.Equal(typeof(TemplateDetector), descriptor.DetectorType);
        Assert.Equal("template", detector.Kind);
        Assert.False(detector.IsFitted);
        var wrongType = Assert.Throws<ArgumentException>(() => descriptor.Create(new SaganOptions()));
        Assert.Contains("'template' detector takes TemplateDetectorOptions, not SaganOptions", wrongType.Message, StringComparison.Ordinal);
    }
}
