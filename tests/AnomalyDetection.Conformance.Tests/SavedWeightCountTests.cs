using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Module = TorchSharp.torch.nn.Module;
using Xunit.Abstractions;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>
/// <see cref="SavedWeightCount"/>, which the model-file loader compares with the stored weights before building a
/// network: it counts the network each detector really saves, built on the meta device, so it must equal that
/// network's element count and cost nothing of the network's size.
/// </summary>
public class SavedWeightCountTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configurations => ["patchgan-default", "patchgan-everything", "patchgan-rgb-wide-patches", "autoencoder-default", "autoencoder-deep", "sagan-small", "sagan-deep"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Of_EqualsTheElementsOfTheSavedNetwork(string configuration)
    {
        var (options, saved) = Build(configuration);

        var stored = StateDicts.ElementCount(saved);
        var counted = SavedWeightCount.Of(options);
        output.WriteLine($"{configuration}: counted {counted}, saved {stored}");

        Assert.Equal(stored, counted);
    }

    [Fact]
    public void Of_ANetworkOfHundredsOfGigabytes_AllocatesNoneOfIt()
    {
        // The largest generator the option ranges allow: about 77 billion weights, as a forged manifest could ask for.
        var options = new SaganOptions { ConvDim = 1024, RepeatNum = 64, Channels = 3 };

        var before = GC.GetAllocatedBytesForCurrentThread();
        var counted = SavedWeightCount.Of(options);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"counted {counted} after allocating {allocated} bytes");

        Assert.True(counted > 70_000_000_000L, $"counted {counted}");
        Assert.InRange(allocated, 0, 16L << 20);
        Assert.Null(LayerDevice.Current);
    }

    private static (DetectorOptions Options, Module Saved) Build(string configuration)
    {
        switch (configuration)
        {
            case "patchgan-default":
                var patchGan = new PatchGanOptions();
                return (patchGan, new PatchGanNetwork(patchGan));
            case "patchgan-everything":
                var everything = new PatchGanOptions
                {
                    ReconstructorAttention = true,
                    Ranking = PatchRanking.Learned,
                    GlobalDiscriminatorWeight = 1,
                    Discriminator = PatchDiscriminatorKind.FullyConvolutional,
                    ReconstructorBaseWidth = 16,
                    DiscriminatorBaseWidth = 16,
                };
                return (everything, new PatchGanNetwork(everything));
            case "patchgan-rgb-wide-patches":
                var wide = new PatchGanOptions { Channels = 3, PatchSize = 32, ReconstructorBaseWidth = 8, DiscriminatorBaseWidth = 8, DiscriminatorLayers = 2 };
                return (wide, new PatchGanNetwork(wide));
            case "autoencoder-default":
                var autoencoder = new AutoencoderOptions();
                return (autoencoder, new ConvAutoencoder(autoencoder.Channels, autoencoder.Widths, autoencoder.LatentChannels, new RandomSource(1)));
            case "autoencoder-deep":
                var deep = new AutoencoderOptions { ImageSize = 256, Depth = 6, BaseWidth = 8, LatentChannels = 64, Channels = 3 };
                return (deep, new ConvAutoencoder(deep.Channels, deep.Widths, deep.LatentChannels, new RandomSource(1)));
            case "sagan-small":
                var sagan = new SaganOptions { ConvDim = 4, RepeatNum = 0 };
                return (sagan, new SaganGenerator(sagan.Channels, sagan.ConvDim, sagan.RepeatNum, new RandomSource(1)));
            default:
                var deepSagan = new SaganOptions { ConvDim = 16, RepeatNum = 6, Channels = 3 };
                return (deepSagan, new SaganGenerator(deepSagan.Channels, deepSagan.ConvDim, deepSagan.RepeatNum, new RandomSource(1)));
        }
    }
}
