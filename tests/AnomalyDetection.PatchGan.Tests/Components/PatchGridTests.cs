using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PatchGridTests
{
    private static Tensor Counting(params int[] shape)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), shape);
    }

    [Fact]
    public void Crop_TwoChannelImage_GivesRowMajorPatchesWithTheirPixels()
    {
        // One 2-channel 4×4 image whose pixel (c, y, x) holds 16c + 4y + x, cut into 2×2 patches.
        var image = Counting(1, 2, 4, 4);

        var patches = PatchGrid.Crop(image, 2);

        Assert.Equal([4, 2, 2, 2], patches.ShapeArray());
        // Patch 1 is row 0, column 1: pixels x ∈ {2, 3}, y ∈ {0, 1}.
        Assert.Equal([2f, 3f, 6f, 7f, 18f, 19f, 22f, 23f], patches.Slice(0, 1, 1).Span.ToArray());
        // Patch 2 is row 1, column 0.
        Assert.Equal([8f, 9f, 12f, 13f, 24f, 25f, 28f, 29f], patches.Slice(0, 2, 1).Span.ToArray());
    }

    [Fact]
    public void Crop_Batch_NumbersPatchesImageByImage()
    {
        var images = Counting(2, 1, 4, 6);

        var patches = PatchGrid.Crop(images, 2);

        // Six patches per image; patch 6 is the first of image 1, whose first pixel is 24.
        Assert.Equal([12, 1, 2, 2], patches.ShapeArray());
        Assert.Equal([24f, 25f, 30f, 31f], patches.Slice(0, 6, 1).Span.ToArray());
    }

    [Theory]
    [InlineData(1, 1, 8, 2)]
    [InlineData(2, 3, 12, 4)]
    [InlineData(3, 3, 6, 6)]
    public void Assemble_AfterCrop_GivesTheImagesBack(int n, int channels, int size, int patch)
    {
        var images = TensorAssert.Random(7, n, channels, size, size);

        var back = PatchGrid.Assemble(PatchGrid.Crop(images, patch), size / patch, size / patch);

        Assert.Equal(images.ShapeArray(), back.ShapeArray());
        Assert.Equal(images.Span.ToArray(), back.Span.ToArray());
    }

    [Fact]
    public void Assemble_NonSquareGrid_PlacesPatchesRowMajor()
    {
        var patches = Tensor.FromArray([0f, 1f, 2f, 3f, 4f, 5f], 6, 1, 1, 1);

        var image = PatchGrid.Assemble(patches, 2, 3);

        Assert.Equal([1, 1, 2, 3], image.ShapeArray());
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], image.Span.ToArray());
    }

    [Fact]
    public void Crop_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.First(x => PatchGrid.Crop(x[0], 2), [TensorAssert.Random(1, 2, 2, 4, 6)]);
    }

    [Fact]
    public void Assemble_Gradient_MatchesFiniteDifferences()
    {
        GradCheck.First(x => PatchGrid.Assemble(x[0], 2, 3), [TensorAssert.Random(2, 12, 2, 2, 2)]);
    }

    [Fact]
    public void Crop_SizeNotAMultipleOfThePatch_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => PatchGrid.Crop(Tensor.Zeros(1, 1, 6, 8), 4));

        Assert.Contains("[1, 1, 6, 8]", error.Message, StringComparison.Ordinal);
        Assert.Contains("patch size 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_CountNotAMultipleOfTheGrid_Throws()
    {
        Assert.Throws<ArgumentException>(() => PatchGrid.Assemble(Tensor.Zeros(5, 1, 2, 2), 2, 2));
    }

    [Fact]
    public void ToPixels_SpreadsEachValueOverItsPatch()
    {
        var grid = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 1, 2, 2);

        var pixels = PatchGrid.ToPixels(grid, 2);

        Assert.Equal(
            [
                1f, 1f, 2f, 2f,
                1f, 1f, 2f, 2f,
                3f, 3f, 4f, 4f,
                3f, 3f, 4f, 4f,
            ],
            pixels.Span.ToArray());
    }

    [Fact]
    public void Means_AveragesEachPatch()
    {
        var image = Counting(1, 1, 4, 4);

        var means = PatchGrid.Means(image, 2);

        // Patch (0, 0) holds 0, 1, 4, 5.
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], means.Span.ToArray());
    }
}
