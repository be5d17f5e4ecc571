using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class ArithmeticTests
{
    [Fact]
    public void Add_BroadcastsChannelBias_MatchesHandComputed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8], 1, 2, 2, 2);
        var bias = Tensor.FromArray([10, 20], 1, 2, 1, 1);
        var y = x + bias;
        Assert.Equal([1, 2, 2, 2], y.ShapeArray());
        Assert.Equal([11, 12, 13, 14, 25, 26, 27, 28], y.ToArray());
    }

    [Fact]
    public void Broadcast_IncompatibleShapes_ThrowsWithBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 1, 3, 1 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 5 }, new int[0])]
    public void BinaryOps_GradientsMatchFiniteDifferences(int[] shapeA, int[] shapeB)
    {
        var a = TensorAssert.Random(1, shapeA);
        var b = TensorAssert.Random(2, shapeB);
        var bAwayFromZero = b.Clone();
        var span = bAwayFromZero.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = span[i] >= 0 ? span[i] + 0.5f : span[i] - 0.5f;
        }

        GradCheck.First(t => t[0] + t[1], [a, b]);
        GradCheck.First(t => t[0] - t[1], [a, b]);
        GradCheck.First(t => t[0] * t[1], [a, b]);
        GradCheck.First(t => t[0] / t[1], [a, bAwayFromZero], epsilon: 1e-3);
    }

    [Fact]
    public void SumAndMeanOverDims_MatchHandComputed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal([5f, 7f, 9f], x.Sum([0]).ToArray());
        Assert.Equal([6f, 15f], x.Sum([1]).ToArray());
        Assert.Equal([2, 1], x.Sum([1], keepDim: true).ShapeArray());
        Assert.Equal(3.5f, x.Mean().ToScalar());
        Assert.Equal([2f, 5f], x.Mean([-1]).ToArray());
    }

    [Fact]
    public void Reductions_GradientsMatchFiniteDifferences()
    {
        var x = TensorAssert.Random(3, 2, 3, 4);
        GradCheck.First(t => t[0].Sum([1]), [x]);
        GradCheck.First(t => t[0].Mean([0, 2], keepDim: true), [x]);
        GradCheck.First(t => t[0].Reshape(4, -1).Sum([0]), [x]);
        GradCheck.First(t => t[0].Reshape(2, 3, 1, 4).BroadcastTo([2, 3, 5, 4]), [x]);
    }

    [Fact]
    public void SecondOrder_ProductAndBroadcast_MatchFiniteDifferences()
    {
        var a = TensorAssert.Random(4, 3, 4);
        var b = TensorAssert.Random(5, 1, 4);
        GradCheck.Second(t => t[0] * t[0] * t[1], [a, b]);
        GradCheck.Second(t => (t[0] * t[1]).Sum([1], keepDim: true) * t[0], [a, b]);
    }

    [Fact]
    public void Sum_OverBatchAndSpaceOfLargeTensor_IsExactAndRepeatable()
    {
        // Rows of different batch entries feed the same channel: the parallel reduction must not race.
        var x = Tensor.Ones(16, 64, 64, 64);
        for (var run = 0; run < 50; run++)
        {
            Assert.All(x.Sum([0, 2, 3]).ToArray(), v => Assert.Equal(16f * 64 * 64, v));
        }
    }

    [Fact]
    public void EmptyTensor_SumAndBackward_GiveZeroAndEmptyGradient()
    {
        var x = Tensor.Zeros(0, 3).WithRequiresGrad();
        var total = (x * 2f).Sum();
        Assert.Equal(0f, total.ToScalar());
        total.Backward();
        Assert.Equal([0, 3], x.Grad!.ShapeArray());
        Assert.Equal([0, 3], x.Sum([0], keepDim: true).BroadcastTo([0, 3]).ShapeArray());
    }
}
