using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class MovementTests
{
    private static Tensor Arange(params int[] shape)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        return Tensor.FromArray(values, shape);
    }

    [Fact]
    public void Concat_AlongChannels_MatchesPyTorch()
    {
        // torch.cat([torch.arange(4.).reshape(1,2,2,1), 10+torch.arange(2.).reshape(1,1,2,1)], 1)
        var y = Tensor.Concat([Arange(1, 2, 2, 1), Arange(1, 1, 2, 1) + 10f], 1);
        Assert.Equal([1, 3, 2, 1], y.ShapeArray());
        Assert.Equal([0f, 1, 2, 3, 10, 11], y.ToArray());
    }

    [Fact]
    public void Concat_NegativeDim_JoinsLastDimension()
    {
        var y = Tensor.Concat([Arange(2, 1), Arange(2, 2) + 10f], -1);
        Assert.Equal([2, 3], y.ShapeArray());
        Assert.Equal([0f, 10, 11, 1, 12, 13], y.ToArray());
    }

    [Fact]
    public void Concat_MismatchedShapes_ThrowsNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 5, 5)], 1));
        Assert.Contains("[2, 5, 5]", ex.Message);
        Assert.Contains("[2, 3, 4]", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 1)], 0));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat([Tensor.Zeros(2, 3)], 2));
    }

    [Fact]
    public void Slice_MiddleOfSecondDimension_MatchesHandComputed()
    {
        var y = Arange(2, 4, 2).Slice(1, 1, 2);
        Assert.Equal([2, 2, 2], y.ShapeArray());
        Assert.Equal([2f, 3, 4, 5, 10, 11, 12, 13], y.ToArray());
        Assert.Equal([2, 0, 2], Arange(2, 4, 2).Slice(-2, 4, 0).ShapeArray());
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(3, 2)]
    [InlineData(0, 5)]
    [InlineData(1, -1)]
    public void Slice_OutOfRange_ThrowsNamingTheRange(int start, int length)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 4).Slice(1, start, length));
        Assert.Contains("size 4", ex.Message);
    }

    [Fact]
    public void Split_UnevenSize_GivesSmallerLastPiece()
    {
        var pieces = Arange(5, 2).Split(2, 0);
        Assert.Equal(3, pieces.Length);
        Assert.Equal([4f, 5, 6, 7], pieces[1].ToArray());
        Assert.Equal([1, 2], pieces[2].ShapeArray());
        Assert.Equal([8f, 9], pieces[2].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Arange(5, 2).Split(0, 0));
    }

    [Fact]
    public void Permute_ChannelsLast_MatchesPyTorch()
    {
        // torch.arange(24.).reshape(1,2,3,4).permute(0,2,3,1)
        var y = Arange(1, 2, 3, 4).Permute(0, 2, 3, 1);
        Assert.Equal([1, 3, 4, 2], y.ShapeArray());
        Assert.Equal([0f, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23], y.ToArray());
    }

    [Fact]
    public void Transpose_OuterAndInner_MatchesPyTorch()
    {
        // torch.arange(24.).reshape(2,3,4).transpose(0,2)
        var y = Arange(2, 3, 4).Transpose(0, -1);
        Assert.Equal([4, 3, 2], y.ShapeArray());
        Assert.Equal([0f, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23], y.ToArray());
    }

    [Fact]
    public void Permute_KeepingInnerBlocksTogether_MatchesElementwiseDefinition()
    {
        var x = TensorAssert.Random(7, 3, 1, 4, 2, 5);
        var y = x.Permute(3, 0, 1, 2, 4);
        Assert.Equal([2, 3, 1, 4, 5], y.ShapeArray());
        for (var a = 0; a < 3; a++)
        {
            for (var c = 0; c < 4; c++)
            {
                for (var d = 0; d < 2; d++)
                {
                    for (var e = 0; e < 5; e++)
                    {
                        Assert.Equal(x[a, 0, c, d, e], y[d, a, 0, c, e]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(new[] { 0, 1 })]
    [InlineData(new[] { 0, 0, 1 })]
    [InlineData(new[] { 0, 1, 3 })]
    [InlineData(new[] { 0, 1, 2, 2 })]
    public void Permute_NotAPermutation_Throws(int[] dims)
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).Permute(dims));
        Assert.Contains("[2, 3, 4]", ex.Message);
    }

    [Fact]
    public void Pad_PositiveAndNegativeAmounts_MatchesPyTorch()
    {
        // F.pad(torch.arange(24.).reshape(1,2,3,4), (1, -1, -1, 2), value=9.)
        var y = Functional.Pad(Arange(1, 2, 3, 4), left: 1, right: -1, top: -1, bottom: 2, value: 9f);
        Assert.Equal([1, 2, 4, 4], y.ShapeArray());
        Assert.Equal(
            [9f, 4, 5, 6, 9, 8, 9, 10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 16, 17, 18, 9, 20, 21, 22, 9, 9, 9, 9, 9, 9, 9, 9],
            y.ToArray());
    }

    [Fact]
    public void Pad_BadRankOrOverCrop_Throws()
    {
        Assert.Throws<ArgumentException>(() => Functional.Pad(Tensor.Zeros(4), 1, 1, 1, 1));
        var ex = Assert.Throws<ArgumentException>(() => Functional.Pad(Tensor.Zeros(1, 1, 3, 3), -2, -2, 0, 0));
        Assert.Contains("[1, 1, 3, 3]", ex.Message);
        Assert.Equal([1, 1, 3, 0], Functional.Pad(Tensor.Zeros(1, 1, 3, 3), -1, -2, 0, 0).ShapeArray());
    }

    [Fact]
    public void EmptyTensors_KeepTheirShapes()
    {
        var empty = Tensor.Zeros(0, 2, 3);
        Assert.Equal([3, 0, 2], empty.Permute(2, 0, 1).ShapeArray());
        Assert.Equal([0, 4, 3], Tensor.Concat([empty, empty], 1).ShapeArray());
        Assert.Equal([2, 2, 0, 3], Functional.Pad(Tensor.Zeros(2, 2, 0, 1), 1, 1, 0, 0).ShapeArray());
        Assert.Equal([1f, 1, 1, 1, 1, 1], Functional.Pad(Tensor.Zeros(1, 1, 0, 3), 0, 0, 1, 1, value: 1f).ToArray());
    }

    [Fact]
    public void Ops_ReturnNewStorage_LeavingInputUntouched()
    {
        var x = Arange(2, 3);
        var copy = x.ToArray();
        var outputs = new[] { x.Permute(0, 1), x.Slice(0, 0, 2), Tensor.Concat([x], 0), Functional.Pad(x, 0, 0, 0, 0) };
        foreach (var y in outputs)
        {
            y.AsSpan()[0] = 100f;
        }

        Assert.Equal(copy, x.ToArray());
    }

    [Fact]
    public void LargeTensors_SplitAcrossThreads_MatchElementwiseDefinition()
    {
        // Big enough (> 2 × 65536 elements) for the kernels to split the rows between threads.
        var x = TensorAssert.Random(8, 6, 50, 9, 61);
        var permuted = x.Permute(2, 0, 3, 1);
        var padded = Functional.Pad(x, 2, -3, 1, 0, value: 7f);
        for (var a = 0; a < 6; a++)
        {
            for (var b = 0; b < 50; b++)
            {
                for (var c = 0; c < 9; c++)
                {
                    for (var d = 0; d < 61; d++)
                    {
                        Assert.Equal(x[a, b, c, d], permuted[c, a, d, b]);
                        if (d < 58)
                        {
                            Assert.Equal(x[a, b, c, d], padded[a, b, c + 1, d + 2]);
                        }
                    }
                }
            }
        }

        var joined = Tensor.Concat([x, x.Slice(1, 5, 10)], 1);
        Assert.Equal(x.ToArray(), joined.Slice(1, 0, 50).ToArray());
        Assert.Equal(x.Slice(1, 5, 10).ToArray(), joined.Slice(1, 50, 10).ToArray());
        Assert.Equal(7f, padded[5, 49, 0, 10]);
        Assert.Equal(7f, padded[5, 49, 3, 1]);
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences()
    {
        var a = TensorAssert.Random(1, 2, 3, 4);
        var b = TensorAssert.Random(2, 2, 1, 4);
        GradCheck.First(t => Tensor.Concat([t[0], t[1]], 1), [a, b]);
        GradCheck.First(t => Tensor.Concat([t[1], t[0], t[1]], 1), [a, b]);
        GradCheck.First(t => Tensor.Concat([t[0], t[0]], -1), [a]);
        GradCheck.First(t => t[0].Slice(1, 1, 2), [a]);
        GradCheck.First(t => t[0].Slice(2, 3, 1), [a]);
        GradCheck.First(t => t[0].Split(3, 2)[1] * t[0].Split(3, 2)[0].Slice(2, 0, 1), [a]);
        GradCheck.First(t => t[0].Permute(2, 0, 1), [a]);
        GradCheck.First(t => t[0].Transpose(0, 1), [a]);
        var image = TensorAssert.Random(3, 1, 2, 3, 4);
        GradCheck.First(t => Functional.Pad(t[0], 1, 2, 0, 1, value: 0.5f), [image]);
        GradCheck.First(t => Functional.Pad(t[0], -1, 1, 2, -1), [image]);
    }

    [Fact]
    public void SecondOrder_MatchesFiniteDifferences()
    {
        var a = TensorAssert.Random(4, 2, 3, 4);
        var b = TensorAssert.Random(5, 2, 2, 4);
        GradCheck.Second(t => Square(Tensor.Concat([t[0], t[1]], 1)), [a, b]);
        GradCheck.Second(t => Square(t[0].Slice(1, 1, 2)) * t[0].Slice(1, 0, 2), [a]);
        GradCheck.Second(t => Square(t[0].Permute(2, 0, 1)) * t[0].Permute(2, 1, 0).Transpose(1, 2), [a]);
        var image = TensorAssert.Random(6, 1, 2, 3, 3);
        GradCheck.Second(t => Square(Functional.Pad(t[0], 1, -1, 0, 2)), [image]);
    }

    private static Tensor Square(Tensor x) => x * x;
}
