using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PatchGridTests
{
    [Fact]
    public void Crop_TwoChannelImage_GivesRowMajorPatchesWithTheirPixels()
    {
        // One 2-channel 4×4 image whose pixel (c, y, x) holds 16c + 4y + x, cut into 2×2 patches.
        var image = TestTensors.Counting(1, 2, 4, 4);

        var patches = PatchGrid.Crop(image, 2);

        Assert.Equal([4L, 2, 2, 2], patches.shape);
        // Patch 1 is row 0, column 1: pixels x ∈ {2, 3}, y ∈ {0, 1}.
        Assert.Equal([2f, 3f, 6f, 7f, 18f, 19f, 22f, 23f], TestTensors.Values(patches[1]));
        // Patch 2 is row 1, column 0.
        Assert.Equal([8f, 9f, 12f, 13f, 24f, 25f, 28f, 29f], TestTensors.Values(patches[2]));
    }

    [Fact]
    public void Crop_Batch_NumbersPatchesImageByImage()
    {
        var images = TestTensors.Counting(2, 1, 4, 6);

        var patches = PatchGrid.Crop(images, 2);

        // Six patches per image; patch 6 is the first of image 1, whose first pixel is 24.
        Assert.Equal([12L, 1, 2, 2], patches.shape);
        Assert.Equal([24f, 25f, 30f, 31f], TestTensors.Values(patches[6]));
    }

    [Theory]
    [InlineData(1, 1, 8, 2)]
    [InlineData(2, 3, 12, 4)]
    [InlineData(3, 3, 6, 6)]
    public void Assemble_AfterCrop_GivesTheImagesBack(int n, int channels, int size, int patch)
    {
        var images = TestTensors.Random(7, n, channels, size, size);

        var back = PatchGrid.Assemble(PatchGrid.Crop(images, patch), size / patch, size / patch);

        Assert.Equal(images.shape, back.shape);
        Assert.Equal(TestTensors.Values(images), TestTensors.Values(back));
    }

    [Fact]
    public void Assemble_NonSquareGrid_PlacesPatchesRowMajor()
    {
        var patches = TestTensors.Counting(6, 1, 1, 1);

        var image = PatchGrid.Assemble(patches, 2, 3);

        Assert.Equal([1L, 1, 2, 3], image.shape);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], TestTensors.Values(image));
    }

    [Fact]
    public void Crop_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.Input(x => PatchGrid.Crop(x, 2), TestTensors.Random(1, 2, 2, 4, 6));
    }

    [Fact]
    public void Assemble_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.Input(x => PatchGrid.Assemble(x, 2, 3), TestTensors.Random(2, 12, 2, 2, 2));
    }

    [Fact]
    public void Crop_SizeNotAMultipleOfThePatch_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => PatchGrid.Crop(torch.zeros(1, 1, 6, 8), 4));

        Assert.Contains("[1, 1, 6, 8]", error.Message, StringComparison.Ordinal);
        Assert.Contains("patch size 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_CountNotAMultipleOfTheGrid_Throws()
    {
        Assert.Throws<ArgumentException>(() => PatchGrid.Assemble(torch.zeros(5, 1, 2, 2), 2, 2));
    }

    [Fact]
    public void ToPixels_SpreadsEachValueOverItsPatch()
    {
        var grid = TestTensors.Counting(1, 1, 2, 2) + 1f;

        var pixels = PatchGrid.ToPixels(grid, 2);

        Assert.Equal(
            [
                1f, 1f, 2f, 2f,
                1f, 1f, 2f, 2f,
                3f, 3f, 4f, 4f,
                3f, 3f, 4f, 4f,
            ],
            TestTensors.Values(pixels));
    }

    [Fact]
    public void Means_AveragesEachPatch()
    {
        var image = TestTensors.Counting(1, 1, 4, 4);

        var means = PatchGrid.Means(image, 2);

        // Patch (0, 0) holds 0, 1, 4, 5.
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], TestTensors.Values(means));
    }
}
