using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Sagan.Tests.Components;

public class WindowPatchesTests
{
    [Fact]
    public void Patchify_TwoByTwoGrid_NumbersWindowsRowMajorPerImage()
    {
        // Two 4×4 images holding 0..15 and 100..115: window n = 2·row + col of image b is item 4b + n.
        var values = Enumerable.Range(0, 16).Select(v => (float)v).Concat(Enumerable.Range(100, 16).Select(v => (float)v)).ToArray();
        var windows = WindowPatches.Patchify(TensorData.FromArray(values, 2, 1, 4, 4));

        Assert.Equal([8L, 1, 2, 2], windows.shape);
        float[][] expected =
        [
            [0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15],
            [100, 101, 104, 105], [102, 103, 106, 107], [108, 109, 112, 113], [110, 111, 114, 115],
        ];
        var actual = TensorData.ToArray(windows);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual.AsSpan(i * 4, 4).ToArray());
        }
    }

    [Theory]
    [InlineData(2, 3, 2, 8, 12)]
    [InlineData(3, 1, 3, 9, 6)]
    [InlineData(1, 2, 1, 5, 7)]
    public void Assemble_AfterPatchify_RestoresTheImages(int grid, int batch, int channels, int height, int width)
    {
        var images = RandomTensors.Uniform(grid + height, -1f, 1f, batch, channels, height, width);

        var windows = WindowPatches.Patchify(images, grid);
        var restored = WindowPatches.Assemble(windows, grid);

        Assert.Equal([batch * grid * grid, channels, height / grid, width / grid], windows.shape);
        TensorAssert.BitEqual(images, restored);
    }

    [Fact]
    public void Assemble_Gradient_IsPatchifyOfTheOutputGradient()
    {
        var windows = RandomTensors.Uniform(3, -1f, 1f, 8, 1, 2, 2).requires_grad_(true);
        var weights = RandomTensors.Uniform(4, -1f, 1f, 2, 1, 4, 4);

        (WindowPatches.Assemble(windows) * weights).sum().backward();

        TensorAssert.BitEqual(WindowPatches.Patchify(weights), windows.grad!);
    }

    [Fact]
    public void Patchify_SizeNotDivisibleByGrid_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => WindowPatches.Patchify(torch.zeros(1, 1, 5, 4)));

        Assert.Contains("[1, 1, 5, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_CountNotMultipleOfGridSquared_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => WindowPatches.Assemble(torch.zeros(6, 1, 4, 4)));

        Assert.Contains("[6, 1, 4, 4]", error.Message, StringComparison.Ordinal);
    }
}
