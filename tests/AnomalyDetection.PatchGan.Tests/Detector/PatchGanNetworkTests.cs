using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Detector;

public class PatchGanNetworkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Reconstruct_WithMasks_TakesEachPatchFromThePassThatHidIt(int channels)
    {
        var options = SyntheticScans.TinyOptions(channels);
        var network = new PatchGanNetwork(options);
        var images = TensorAssert.Random(1, 2, channels, 32, 32);

        var fused = network.Reconstruct(images);

        var masks = PatchGrid.ToPixels(PatchMasks.Complementary(4, 4, 4), 8);
        var expected = Tensor.Zeros(2, channels, 32, 32);
        for (var k = 0; k < 4; k++)
        {
            var mask = masks.Slice(0, k, 1);
            expected = expected + (network.Reconstructor.Forward(images * (1f - mask)) * mask);
        }

        TensorAssert.Close(expected, fused, absolute: 1e-6);
    }

    [Fact]
    public void Reconstruct_WithMasks_APatchDoesNotSeeItsOwnPixels()
    {
        var network = new PatchGanNetwork(SyntheticScans.TinyOptions());
        var images = TensorAssert.Random(2, 1, 1, 32, 32);
        var changed = images.Clone();
        for (var y = 8; y < 16; y++)
        {
            for (var x = 16; x < 24; x++)
            {
                changed[0, 0, y, x] += 1f; // all of patch (1, 2)
            }
        }

        var before = network.Reconstruct(images);
        var after = network.Reconstruct(changed);

        var patchBefore = PatchGrid.Crop(before, 8).Slice(0, 6, 1);
        var patchAfter = PatchGrid.Crop(after, 8).Slice(0, 6, 1);
        Assert.Equal(patchBefore.Span.ToArray(), patchAfter.Span.ToArray());
        Assert.NotEqual(before.Span.ToArray(), after.Span.ToArray());
    }

    [Fact]
    public void Reconstruct_WithoutMasking_IsOnePlainPass()
    {
        var options = SyntheticScans.TinyOptions();
        options.UseMasking = false;
        var network = new PatchGanNetwork(options);
        var images = TensorAssert.Random(3, 2, 1, 32, 32);

        Assert.Equal(network.Reconstructor.Forward(images).Span.ToArray(), network.Reconstruct(images).Span.ToArray());
    }

    [Fact]
    public void Evidence_ConstantError_GivesThatErrorPerPatch()
    {
        var network = new PatchGanNetwork(SyntheticScans.TinyOptions(channels: 3));
        var images = Tensor.Zeros(1, 3, 32, 32);
        var reconstruction = Tensor.Concat([Tensor.Full(0.3f, 1, 1, 32, 32), Tensor.Full(-0.6f, 1, 1, 32, 32), Tensor.Full(0.9f, 1, 1, 32, 32)], 1);

        var (pixels, patches, fake) = network.Evidence(images, reconstruction);

        Assert.Equal([1, 1, 32, 32], pixels.ShapeArray());
        Assert.All(patches.Span.ToArray(), e => Assert.Equal(0.6f, e, 6));
        Assert.Equal([1, 1, 4, 4], fake.ShapeArray());
        Assert.All(fake.Span.ToArray(), p => Assert.InRange(p, 0f, 1f));
    }

    [Theory]
    [InlineData(PatchDiscriminatorKind.Cropped, 0.0, PatchRanking.TopK, new[] { "reconstructor", "discriminator", "statistics" })]
    [InlineData(PatchDiscriminatorKind.FullyConvolutional, 0.1, PatchRanking.Learned, new[] { "reconstructor", "discriminator", "global_discriminator", "ranking_head", "statistics" })]
    public void StateDict_Options_NameEveryPartOnce(PatchDiscriminatorKind kind, double global, PatchRanking ranking, string[] parts)
    {
        var options = SyntheticScans.TinyOptions();
        (options.Discriminator, options.GlobalDiscriminatorWeight, options.Ranking) = (kind, global, ranking);

        var names = new PatchGanNetwork(options).StateDict().Keys.Select(k => k[..k.IndexOf('.', StringComparison.Ordinal)]).Distinct();

        Assert.Equal(parts, names);
    }
}
