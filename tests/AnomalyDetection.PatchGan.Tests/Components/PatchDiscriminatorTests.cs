using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PatchDiscriminatorTests
{
    [Fact]
    public void CroppedForward_PyTorchWeights_MatchesPyTorch()
    {
        var discriminator = new CroppedPatchDiscriminator(3, 8, [4, 8], new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("cropped", discriminator);

        TensorAssert.Close(expected, discriminator.Forward(input), absolute: 1e-5);
    }

    [Fact]
    public void CroppedForward_ChangeInsideOnePatch_ChangesOnlyThatPatchsLogit()
    {
        var discriminator = new CroppedPatchDiscriminator(1, 8, [4, 8], new RandomSource(1));
        var images = TensorAssert.Random(2, 2, 1, 16, 24);
        var changed = images.Clone();
        changed[1, 0, 9, 20] += 2f; // image 1, grid row 1, column 2

        var before = discriminator.Forward(images);
        var after = discriminator.Forward(changed);

        Assert.Equal([2, 1, 2, 3], after.ShapeArray());
        for (var i = 0; i < before.Count; i++)
        {
            var changedPatch = i == 6 + 5;
            Assert.True(changedPatch != (before.Span[i] == after.Span[i]), $"logit {i}");
        }
    }

    [Fact]
    public void CroppedForward_Gradient_MatchesFiniteDifferences()
    {
        var discriminator = new CroppedPatchDiscriminator(1, 8, [2, 4], new RandomSource(2));

        GradCheck.First(x => discriminator.Forward(x[0]), [TensorAssert.Random(3, 1, 1, 8, 16)]);
    }

    [Fact]
    public void CroppedConstructor_PatchTooSmallForTheLayers_ThrowsNamingTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new CroppedPatchDiscriminator(1, 8, [4, 8, 16], new RandomSource(0)));

        Assert.Contains("8-pixel patch cannot pass 3 stride-2 convolutions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PooledForward_PyTorchWeights_MatchesPyTorch()
    {
        var discriminator = new PooledPatchGanDiscriminator(1, 8, [4, 8, 16], new RandomSource(0));
        var (input, expected) = ComponentFixture.Load("pooled", discriminator);

        TensorAssert.Close(expected, discriminator.Forward(input), absolute: 1e-5);
    }

    [Fact]
    public void PooledForward_PatchIsTheImage_GivesOneLogitPerImage()
    {
        var discriminator = new PooledPatchGanDiscriminator(3, 32, [4, 8], new RandomSource(1));

        var logits = discriminator.Forward(TensorAssert.Random(4, 2, 3, 32, 32));

        Assert.Equal([2, 1, 1, 1], logits.ShapeArray());
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
    }

    [Fact]
    public void PooledForward_ImageTooSmall_Throws()
    {
        var discriminator = new PooledPatchGanDiscriminator(1, 4, [2, 2, 2], new RandomSource(0));

        Assert.Throws<ArgumentException>(() => discriminator.Forward(Tensor.Zeros(1, 1, 8, 8)));
    }
}
