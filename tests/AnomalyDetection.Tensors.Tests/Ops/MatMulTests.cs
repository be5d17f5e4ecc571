using AnomalyDetection.Tensors.Tests.Helpers;
using static AnomalyDetection.Tensors.Functional;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class MatMulTests
{
    [Fact]
    public void MatMul_2x3By3x2_MatchesHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([7, 8, 9, 10, 11, 12], 3, 2);
        var c = MatMul(a, b);
        Assert.Equal([2, 2], c.ShapeArray());
        Assert.Equal([58f, 64f, 139f, 154f], c.ToArray());
    }

    [Fact]
    public void MatMul_BroadcastBatch_MatchesPerMatrixProducts()
    {
        var a = TensorAssert.Random(1, 2, 1, 3, 4);
        var b = TensorAssert.Random(2, 5, 4, 2);
        var c = MatMul(a, b);
        Assert.Equal([2, 5, 3, 2], c.ShapeArray());
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                for (var r = 0; r < 3; r++)
                {
                    for (var s = 0; s < 2; s++)
                    {
                        double expected = 0;
                        for (var p = 0; p < 4; p++)
                        {
                            expected += a[i, 0, r, p] * b[j, p, s];
                        }

                        Assert.Equal(expected, c[i, j, r, s], 5);
                    }
                }
            }
        }
    }

    [Fact]
    public void MatMul_ManySmallMatrices_MatchesLoopOfSingleProducts()
    {
        // 64 products of 16×16×16 take the path that spreads whole products over the threads.
        var a = TensorAssert.Random(3, 64, 16, 16);
        var b = TensorAssert.Random(4, 64, 16, 16);
        var c = MatMul(a, b);
        for (var i = 0; i < 64; i += 21)
        {
            var single = MatMul(Slice(a, i), Slice(b, i));
            TensorAssert.Close(single.Span, c.Span.Slice(i * 256, 256));
        }
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 3, 4, 2 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4, 5 })]
    public void MatMul_Gradients_MatchFiniteDifferences(int[] shapeA, int[] shapeB)
    {
        GradCheck.First(t => MatMul(t[0], t[1]), [TensorAssert.Random(1, shapeA), TensorAssert.Random(2, shapeB)]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatMul_TransposedForms_MatchExplicitProductAndGradients(bool transposeA, bool transposeB)
    {
        var a = TensorAssert.Random(3, 2, transposeA ? 4 : 3, transposeA ? 3 : 4);
        var b = TensorAssert.Random(4, 2, transposeB ? 5 : 4, transposeB ? 4 : 5);
        var expected = MatMul(transposeA ? Transposed(a) : a, transposeB ? Transposed(b) : b);
        TensorAssert.Close(expected, MatMul(a, b, transposeA, transposeB));
        GradCheck.First(t => MatMul(t[0], t[1], transposeA, transposeB), [a, b]);
    }

    [Fact]
    public void MatMul_SecondOrder_MatchesFiniteDifferences()
    {
        GradCheck.Second(t =>
        {
            var y = MatMul(t[0], t[1]);
            return y * y;
        }, [TensorAssert.Random(5, 3, 4), TensorAssert.Random(6, 4, 2)]);
    }

    [Fact]
    public void Linear_WithBias_MatchesHandComputed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4], 2, 2);
        var w = Tensor.FromArray([1, 0, 0, 1, 1, 1], 3, 2);
        var b = Tensor.FromArray([10, 20, 30], 3);
        var y = Linear(x, w, b);
        Assert.Equal([2, 3], y.ShapeArray());
        Assert.Equal([11f, 22f, 33f, 13f, 24f, 37f], y.ToArray());
    }

    [Fact]
    public void Linear_Gradients_MatchFiniteDifferences()
    {
        var x = TensorAssert.Random(7, 2, 3, 4);
        var w = TensorAssert.Random(8, 5, 4);
        var b = TensorAssert.Random(9, 5);
        GradCheck.First(t => Linear(t[0], t[1], t[2]), [x, w, b]);
        GradCheck.First(t => Linear(t[0], t[1]), [TensorAssert.Random(10, 4), w]);
        GradCheck.Second(t => Linear(t[0], t[1], t[2]) * Linear(t[0], t[1], t[2]), [x, w, b]);
    }

    [Fact]
    public void MatMul_EmptyDimensions_GiveEmptyOrZeroProducts()
    {
        Assert.Equal([0, 4], MatMul(Tensor.Zeros(0, 3), Tensor.Ones(3, 4)).ShapeArray());
        var zeroDepth = MatMul(Tensor.Ones(2, 0), Tensor.Ones(0, 3));
        Assert.Equal([2, 3], zeroDepth.ShapeArray());
        Assert.All(zeroDepth.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MatMul_BadShapes_ThrowWithShapes()
    {
        var rank = Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(3), Tensor.Zeros(3, 4)));
        Assert.Contains("rank 2 or more", rank.Message);
        var inner = Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("[2, 3]", inner.Message);
        Assert.Contains("3 vs 4", inner.Message);
        var batch = Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5)));
        Assert.Contains("batch dimensions", batch.Message);
    }

    [Fact]
    public void Linear_BadShapes_ThrowWithShapes()
    {
        var input = Assert.Throws<ArgumentException>(() => Linear(Tensor.Zeros(2, 3), Tensor.Zeros(5, 4)));
        Assert.Contains("(*, 4)", input.Message);
        Assert.Contains("[2, 3]", input.Message);
        var bias = Assert.Throws<ArgumentException>(() => Linear(Tensor.Zeros(2, 4), Tensor.Zeros(5, 4), Tensor.Zeros(4)));
        Assert.Contains("bias of shape [5]", bias.Message);
        Assert.Throws<ArgumentException>(() => Linear(Tensor.Zeros(2, 4), Tensor.Zeros(4)));
    }

    private static Tensor Slice(Tensor batch, int index)
    {
        var rows = batch.Shape[1];
        var columns = batch.Shape[2];
        return Tensor.From(batch.Span.Slice(index * rows * columns, rows * columns), rows, columns);
    }

    private static Tensor Transposed(Tensor x)
    {
        var (batch, rows, columns) = (x.Shape[0], x.Shape[1], x.Shape[2]);
        var result = Tensor.Zeros(batch, columns, rows);
        for (var i = 0; i < batch; i++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    result[i, c, r] = x[i, r, c];
                }
            }
        }

        return result;
    }
}
