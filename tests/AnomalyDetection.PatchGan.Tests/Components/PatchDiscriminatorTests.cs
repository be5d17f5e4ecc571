using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PatchDiscriminatorTests
{
    [Fact]
    public void CroppedForward_PyTorchWeights_MatchesPyTorch()
    {
        var discriminator = new CroppedPatchDiscriminator(3, 8, [4, 8], new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("cropped", discriminator);

        TensorAssert.Close(expected, discriminator.forward(input), absolute: 1e-5);
    }

    [Fact]
    public void CroppedStateDict_NamesThePix2PixBlocksAndTheHead()
    {
        var discriminator = new CroppedPatchDiscriminator(1, 16, [4, 8, 16], new RandomSource(0));

        Assert.Equal(
            ["features.0.conv.weight", "features.0.conv.bias", "features.1.conv.weight", "features.2.conv.weight", "head.weight", "head.bias"],
            discriminator.state_dict().Keys);
    }

    [Fact]
    public void CroppedForward_ChangeInsideOnePatch_ChangesOnlyThatPatchsLogit()
    {
        var discriminator = new CroppedPatchDiscriminator(1, 8, [4, 8], new RandomSource(1));
        var images = TestTensors.Random(2, 2, 1, 16, 24);
        var changed = images.clone();
        changed[1, 0, 9, 20] += 2f; // image 1, grid row 1, column 2

        var before = TestTensors.Values(discriminator.forward(images));
        var output = discriminator.forward(changed);
        var after = TestTensors.Values(output);

        Assert.Equal([2L, 1, 2, 3], output.shape);
        for (var i = 0; i < before.Length; i++)
        {
            var changedPatch = i == 6 + 5;
            Assert.True(changedPatch != (before[i] == after[i]), $"logit {i}");
        }
    }

    [Fact]
    public void CroppedForward_Gradient_MatchesFiniteDifferences()
    {
        var discriminator = new CroppedPatchDiscriminator(1, 8, [2, 4], new RandomSource(2));
        discriminator.to(torch.float64);

        GradCheck.Input(discriminator.forward, TestTensors.Random(3, 1, 1, 8, 16));
    }

    [Fact]
    public void CroppedConstructor_PatchTooSmallForTheLayers_ThrowsNamingTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new CroppedPatchDiscriminator(1, 8, [4, 8, 16], new RandomSource(0)));

        Assert.Contains("8-pixel patch cannot pass 3 stride-2 convolutions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CroppedConstructor_SameSeed_SameWeights_OtherSeed_Others()
    {
        var a = new CroppedPatchDiscriminator(1, 8, [4, 8], new RandomSource(5)).state_dict();
        var b = new CroppedPatchDiscriminator(1, 8, [4, 8], new RandomSource(5)).state_dict();
        var c = new CroppedPatchDiscriminator(1, 8, [4, 8], new RandomSource(6)).state_dict();

        foreach (var (name, tensor) in a)
        {
            TensorAssert.BitEqual(tensor, b[name]);
        }

        Assert.NotEqual(TestTensors.Values(a["head.weight"]), TestTensors.Values(c["head.weight"]));
    }

    [Fact]
    public void PooledForward_PyTorchWeights_MatchesPyTorch()
    {
        var discriminator = new PooledPatchGanDiscriminator(1, 8, [4, 8, 16], new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("pooled", discriminator);

        TensorAssert.Close(expected, discriminator.forward(input), absolute: 1e-5);
    }

    [Fact]
    public void PooledForward_PatchIsTheImage_GivesOneLogitPerImage()
    {
        var discriminator = new PooledPatchGanDiscriminator(3, 32, [4, 8], new RandomSource(1));

        var logits = discriminator.forward(TestTensors.Random(4, 2, 3, 32, 32));

        Assert.Equal([2L, 1, 1, 1], logits.shape);
    }

    [Theory]
    [InlineData(128, 4, 14)]
    [InlineData(32, 3, 6)]
    [InlineData(32, 2, 14)]
    [InlineData(8, 3, 0)]
    public void LogitMapSize_Pix2PixLayouts_MatchesTheConvolutionArithmetic(int image, int layers, int expected)
    {
        var discriminator = new PooledPatchGanDiscriminator(1, 8, Enumerable.Repeat(2, layers).ToArray(), new RandomSource(0));

        Assert.Equal(expected, discriminator.LogitMapSize(image));
        if (expected > 0)
        {
            // The arithmetic is what the layers really produce.
            using var noGrad = torch.no_grad();
            var body = discriminator.named_children().Single(c => c.name == "body").module;
            var map = ((torch.nn.Module<torch.Tensor, torch.Tensor>)body).forward(torch.zeros(1, 1, image, image));
            Assert.Equal([1L, 1, expected, expected], map.shape);
        }
    }

    [Fact]
    public void PooledForward_ImageTooSmall_Throws()
    {
        var discriminator = new PooledPatchGanDiscriminator(1, 4, [2, 2, 2], new RandomSource(0));

        Assert.Throws<ArgumentException>(() => discriminator.forward(torch.zeros(1, 1, 8, 8)));
    }
}
