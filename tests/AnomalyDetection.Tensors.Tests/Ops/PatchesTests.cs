using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class PatchesTests
{
    private static Tensor Arange(float start, params int[] shape)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = start + i;
        }

        return Tensor.FromArray(values, shape);
    }

    [Fact]
    public void Unfold_Kernel2_MatchesPyTorch()
    {
        // F.unfold(torch.arange(9.).reshape(1,1,3,3), 2)
        var y = Functional.Unfold(Arange(0, 1, 1, 3, 3), 2);
        Assert.Equal([1, 4, 4], y.ShapeArray());
        Assert.Equal([0f, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8], y.ToArray());
    }

    [Fact]
    public void Unfold_StrideAndPadding_MatchesPyTorch()
    {
        // F.unfold(torch.arange(32.).reshape(1,2,4,4), 3, stride=2, padding=1)
        var y = Functional.Unfold(Arange(0, 1, 2, 4, 4), 3, stride: 2, padding: 1);
        Assert.Equal([1, 18, 4], y.ShapeArray());
        Assert.Equal(
            [
                0f, 0, 0, 5, 0, 0, 4, 6, 0, 0, 5, 7, 0, 1, 0, 9, 0, 2, 8, 10, 1, 3, 9, 11, 0, 5, 0, 13, 4, 6, 12, 14, 5, 7, 13, 15,
                0, 0, 0, 21, 0, 0, 20, 22, 0, 0, 21, 23, 0, 17, 0, 25, 16, 18, 24, 26, 17, 19, 25, 27, 0, 21, 0, 29, 20, 22, 28, 30, 21, 23, 29, 31,
            ],
            y.ToArray());
    }

    [Fact]
    public void Fold_OverlappingBlocks_MatchesPyTorch()
    {
        // F.fold(torch.arange(1., 17.).reshape(1,4,4), (3,3), 2)
        var y = Functional.Fold(Arange(1, 1, 4, 4), 3, 3, 2);
        Assert.Equal([1, 1, 3, 3], y.ShapeArray());
        Assert.Equal([1f, 7, 6, 12, 34, 22, 11, 27, 16], y.ToArray());
    }

    [Fact]
    public void Fold_StrideAndPadding_MatchesPyTorch()
    {
        // F.fold(torch.arange(1., 1 + 2*9*4).reshape(1,18,4), (4,4), 3, stride=2, padding=1)
        var y = Functional.Fold(Arange(1, 1, 18, 4), 4, 4, 3, stride: 2, padding: 1);
        Assert.Equal([1, 2, 4, 4], y.ShapeArray());
        Assert.Equal(
            [17f, 35, 18, 22, 36, 74, 38, 46, 19, 39, 20, 24, 31, 63, 32, 36, 53, 107, 54, 58, 108, 218, 110, 118, 55, 111, 56, 60, 67, 135, 68, 72],
            y.ToArray());
    }

    [Fact]
    public void UnfoldThenFold_NonOverlappingWindows_RestoresImage()
    {
        var x = TensorAssert.Random(3, 2, 3, 8, 8);
        var windows = Functional.Unfold(x, 4, stride: 4);
        Assert.Equal([2, 48, 4], windows.ShapeArray());
        TensorAssert.Close(x, Functional.Fold(windows, 8, 8, 4, stride: 4), 0, 0);
    }

    [Fact]
    public void Unfold_NonOverlappingWindows_AreInRowMajorOrder()
    {
        // Window n of a 2×2 grid is n = 2·row + col: the ordering patchify relies on.
        var x = Arange(0, 1, 1, 4, 4);
        var windows = Functional.Unfold(x, 2, stride: 2).Permute(0, 2, 1).Reshape(4, 1, 2, 2);
        Assert.Equal([0f, 1, 4, 5], windows.Slice(0, 0, 1).ToArray());
        Assert.Equal([2f, 3, 6, 7], windows.Slice(0, 1, 1).ToArray());
        Assert.Equal([8f, 9, 12, 13], windows.Slice(0, 2, 1).ToArray());
        Assert.Equal([10f, 11, 14, 15], windows.Slice(0, 3, 1).ToArray());
    }

    [Fact]
    public void Unfold_LargeInputSplitAcrossThreads_MatchesDefinition()
    {
        // Big enough (> 2 × 65536 elements) for the kernels to split the rows between threads.
        var x = TensorAssert.Random(8, 4, 16, 40, 37);
        var columns = Functional.Unfold(x, 3, stride: 2, padding: 1);
        Assert.Equal([4, 144, 20 * 19], columns.ShapeArray());
        for (var n = 0; n < 4; n++)
        {
            for (var row = 0; row < 144; row++)
            {
                int c = row / 9, ki = row / 3 % 3, kj = row % 3;
                for (var block = 0; block < 380; block++)
                {
                    int iy = (block / 19 * 2) - 1 + ki, ix = (block % 19 * 2) - 1 + kj;
                    var expected = iy is >= 0 and < 40 && ix is >= 0 and < 37 ? x[n, c, iy, ix] : 0f;
                    Assert.Equal(expected, columns[n, row, block]);
                }
            }
        }

        TensorAssert.Close(x * 4f, Functional.Fold(Functional.Unfold(x, 2, stride: 1, padding: 1), 40, 37, 2, stride: 1, padding: 1), 1e-5, 1e-6);
    }

    [Fact]
    public void FoldIsAdjointOfUnfold()
    {
        // <Unfold(x), c> = <x, Fold(c)> for every x and c.
        var x = TensorAssert.Random(4, 2, 2, 5, 6);
        var unfolded = Functional.Unfold(x, 3, stride: 2, padding: 1);
        var c = TensorAssert.Random(5, unfolded.ShapeArray());
        var left = (unfolded * c).Sum().ToScalar();
        var right = (x * Functional.Fold(c, 5, 6, 3, stride: 2, padding: 1)).Sum().ToScalar();
        Assert.Equal(left, right, 4);
    }

    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(2, 3, 2)]
    public void Gradients_MatchFiniteDifferences(int kernel, int stride, int padding)
    {
        var x = TensorAssert.Random(6, 2, 2, 5, 4);
        GradCheck.First(t => Functional.Unfold(t[0], kernel, stride, padding), [x]);
        GradCheck.Second(t => Square(Functional.Unfold(t[0], kernel, stride, padding)), [x]);
        var columns = TensorAssert.Random(7, Functional.Unfold(x, kernel, stride, padding).ShapeArray());
        GradCheck.First(t => Functional.Fold(t[0], 5, 4, kernel, stride, padding), [columns]);
        GradCheck.Second(t => Square(Functional.Fold(t[0], 5, 4, kernel, stride, padding)), [columns]);
    }

    [Fact]
    public void BadArguments_ThrowClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.Unfold(Tensor.Zeros(2, 3, 4), 2));
        Assert.Contains("[2, 3, 4]", ex.Message);
        Assert.Throws<ArgumentException>(() => Functional.Unfold(Tensor.Zeros(1, 1, 2, 2), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Unfold(Tensor.Zeros(1, 1, 4, 4), 2, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Unfold(Tensor.Zeros(1, 1, 4, 4), 2, padding: -1));
        Assert.Throws<ArgumentException>(() => Functional.Fold(Tensor.Zeros(1, 5, 4), 3, 3, 2));
        var blocks = Assert.Throws<ArgumentException>(() => Functional.Fold(Tensor.Zeros(1, 4, 3), 3, 3, 2));
        Assert.Contains("needs 4 blocks", blocks.Message);
    }

    private static Tensor Square(Tensor x) => x * x;
}
