using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests;

public class PatchGanNetworkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Reconstruct_WithMasks_TakesEachPatchFromThePassThatHidIt(int channels)
    {
        var options = Tiny.Options(channels);
        var network = new PatchGanNetwork(options);
        var images = TestTensors.Random(1, 2, channels, 32, 32);

        var fused = network.Reconstruct(images);

        var masks = PatchGrid.ToPixels(PatchMasks.Complementary(4, 4, 4), 8);
        var expected = torch.zeros(2, channels, 32, 32);
        for (var k = 0; k < 4; k++)
        {
            var mask = masks[k..(k + 1)];
            expected += network.Reconstructor.forward(images * (1f - mask)) * mask;
        }

        TensorAssert.Close(expected, fused, absolute: 1e-6);
    }

    [Fact]
    public void Reconstruct_WithMasks_APatchDoesNotSeeItsOwnPixels()
    {
        var network = new PatchGanNetwork(Tiny.Options());
        var images = TestTensors.Random(2, 1, 1, 32, 32);
        var changed = images.clone();
        changed[0, 0, 8..16, 16..24] += 1f; // all of patch (1, 2)

        var before = network.Reconstruct(images);
        var after = network.Reconstruct(changed);

        var patchBefore = PatchGrid.Crop(before, 8)[6];
        var patchAfter = PatchGrid.Crop(after, 8)[6];
        Assert.Equal(TestTensors.Values(patchBefore), TestTensors.Values(patchAfter));
        Assert.NotEqual(TestTensors.Values(before), TestTensors.Values(after));
    }

    [Fact]
    public void Reconstruct_WithoutMasking_IsOnePlainPass()
    {
        var options = Tiny.Options();
        options.UseMasking = false;
        var network = new PatchGanNetwork(options);
        var images = TestTensors.Random(3, 2, 1, 32, 32);

        Assert.Equal(TestTensors.Values(network.Reconstructor.forward(images)), TestTensors.Values(network.Reconstruct(images)));
    }

    [Fact]
    public void Evidence_ConstantError_GivesThatErrorPerPatchAndTheDiscriminatorsFakeProbability()
    {
        var network = new PatchGanNetwork(Tiny.Options(channels: 3));
        var images = torch.zeros(1, 3, 32, 32);
        var reconstruction = torch.cat([torch.full(1, 1, 32, 32, 0.3f), torch.full(1, 1, 32, 32, -0.6f), torch.full(1, 1, 32, 32, 0.9f)], 1);

        var (pixels, patches, fake) = network.Evidence(images, reconstruction);

        Assert.Equal([1L, 1, 32, 32], pixels.shape);
        Assert.All(TestTensors.Values(patches), e => Assert.Equal(0.6f, e, 6));
        Assert.Equal([1L, 1, 4, 4], fake.shape);
        TensorAssert.BitEqual(torch.sigmoid(-network.Discriminator.forward(reconstruction)), fake);
    }

    [Theory]
    [InlineData(ResidualPolarity.Brighter, 0.4f)] // only the channel restored darker than the image counts: 1.2 / 3
    [InlineData(ResidualPolarity.Darker, 0.3f)] // the two restored brighter: (0.3 + 0.6) / 3
    public void Evidence_OneSidedPolarity_AveragesOnlyThatSideOverChannels(ResidualPolarity polarity, float expected)
    {
        var options = Tiny.Options(channels: 3);
        options.ResidualPolarity = polarity;
        var network = new PatchGanNetwork(options);
        var images = torch.cat([torch.zeros(1, 1, 32, 32), torch.full(1, 1, 32, 32, -0.6f), torch.full(1, 1, 32, 32, 1.2f)], 1);
        var reconstruction = torch.cat([torch.full(1, 1, 32, 32, 0.3f), torch.zeros(1, 1, 32, 32), torch.zeros(1, 1, 32, 32)], 1);

        var (pixels, patches, _) = network.Evidence(images, reconstruction);

        Assert.All(TestTensors.Values(pixels), e => Assert.Equal(expected, e, 6));
        Assert.All(TestTensors.Values(patches), e => Assert.Equal(expected, e, 6));
    }

    [Theory]
    [InlineData(PatchDiscriminatorKind.Cropped, 0.0, PatchRanking.TopK, new[] { "reconstructor", "discriminator", "statistics" })]
    [InlineData(PatchDiscriminatorKind.FullyConvolutional, 0.1, PatchRanking.Learned, new[] { "reconstructor", "discriminator", "global_discriminator", "ranking_head", "statistics" })]
    public void StateDict_Options_NameEveryPartOnce(PatchDiscriminatorKind kind, double global, PatchRanking ranking, string[] parts)
    {
        var options = Tiny.Options();
        (options.Discriminator, options.GlobalDiscriminatorWeight, options.Ranking) = (kind, global, ranking);

        var names = new PatchGanNetwork(options).state_dict().Keys.Select(k => k[..k.IndexOf('.', StringComparison.Ordinal)]).Distinct();

        Assert.Equal(parts, names);
    }

    [Fact]
    public void StateDict_AfterTheNetworkIsConverted_KeepsItsNamesAndBuffers()
    {
        // Moving or converting a module re-registers the tensors held in fields (this is what .to(device) does on a
        // GPU too): the state dictionary must keep exactly its names, and the statistics their values.
        var options = Tiny.Options();
        (options.Discriminator, options.GlobalDiscriminatorWeight, options.Ranking, options.ReconstructorAttention) =
            (PatchDiscriminatorKind.FullyConvolutional, 0.1, PatchRanking.Learned, true);
        var network = new PatchGanNetwork(options);
        network.Statistics.Fit([1f, 3f], [0.25f, 0.75f]);
        var before = network.state_dict().Keys.ToList();

        network.to(torch.float64);

        Assert.Equal(before, network.state_dict().Keys);
        Assert.All(network.state_dict().Values, t => Assert.Equal(torch.float64, t.dtype));
        Assert.Equal(2.0, network.Statistics.ErrorMean.item<double>());
        Assert.Equal(0.25, network.Statistics.FakeStd.item<double>());
        Assert.Equal(torch.float64, network.Reconstructor.Attention!.Gamma.dtype);
    }

    [Fact]
    public void StateDict_TinyDefaults_AreTheNamesOfTheModelFiles()
    {
        var names = new PatchGanNetwork(Tiny.Options()).state_dict().Keys;

        // The names every Patch-GAN model file of these settings holds (and the PyTorch reference modules use).
        Assert.Equal(
            [
                "reconstructor.down0.conv.weight", "reconstructor.down0.conv.bias", "reconstructor.down1.conv.weight",
                "reconstructor.down2.conv.weight", "reconstructor.down3.conv.weight",
                "reconstructor.up3.conv.weight", "reconstructor.up2.conv.weight", "reconstructor.up1.conv.weight",
                "reconstructor.output.conv.weight", "reconstructor.output.conv.bias",
                "discriminator.features.0.conv.weight", "discriminator.features.0.conv.bias", "discriminator.features.1.conv.weight",
                "discriminator.head.weight", "discriminator.head.bias",
                "statistics.error_mean", "statistics.error_std", "statistics.fake_mean", "statistics.fake_std",
            ],
            names);
    }
}
