using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

// Reference values come from PyTorch 1.13 with
//   a = lambda n, m, o, s: torch.tensor([((i*m) % o - o//2) * s for i in range(n)], dtype=torch.float32)
//   x = a(50, 7, 11, 0.25).reshape(1,2,5,5)
public class PoolingTests
{
    private static Tensor X
    {
        get
        {
            var values = new float[50];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (((i * 7) % 11) - 5) * 0.25f;
            }

            return Tensor.FromArray(values, 1, 2, 5, 5);
        }
    }

    /// <summary>Distinct values at least 0.1 apart, so that finite differences never change which element is the maximum.</summary>
    private static Tensor Distinct(params int[] shape)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ((i * 37) % count * 0.1f) - (count * 0.05f);
        }

        return Tensor.FromArray(values, shape);
    }

    [Fact]
    public void AvgPool2d_DefaultStride_MatchesPyTorch()
    {
        // F.avg_pool2d(x, 2)
        var y = Functional.AvgPool2d(X, 2);
        Assert.Equal([1, 2, 2, 2], y.ShapeArray());
        TensorAssert.Close([-0.125f, -0.0625f, -0.5f, 0.25f, 0.3125f, -0.3125f, -0.0625f, 0f], y.Span);
    }

    [Fact]
    public void AvgPool2d_StrideAndPadding_CountsPaddingInDivisorAsPyTorch()
    {
        // F.avg_pool2d(x, 3, 2, 1)
        var y = Functional.AvgPool2d(X, 3, stride: 2, padding: 1);
        Assert.Equal([1, 2, 3, 3], y.ShapeArray());
        TensorAssert.Close(
            [
                -0.055555556f, 0.138888896f, 0.138888896f, -0.194444448f, -0.111111112f, -0.055555556f, 0f, -0.0833333358f, -0.111111112f,
                0.138888896f, -0.027777778f, 0.027777778f, -0.055555556f, -0.055555556f, -0.222222224f, -0.111111112f, 0.055555556f, -0.222222224f,
            ],
            y.Span);
    }

    [Fact]
    public void MaxPool2d_OverlappingWindows_MatchesPyTorch()
    {
        // F.max_pool2d(x, 2, 1)
        var y = Functional.MaxPool2d(X, 2, stride: 1);
        Assert.Equal([1, 2, 4, 4], y.ShapeArray());
        Assert.Equal(
            [1f, 1, 1.25f, 1.25f, 1, 1, 0.5f, 1.25f, 0.25f, 1, 1, 1.25f, 0.75f, 1, 1, 0.5f, 1.25f, 0.75f, 1, 1, 1.25f, 1.25f, 0.25f, 1, 1.25f, 1.25f, 0.75f, 1, 0.5f, 1.25f, 1.25f, 0.25f],
            y.ToArray());
    }

    [Fact]
    public void MaxPool2d_StrideAndPadding_MatchesPyTorch()
    {
        // F.max_pool2d(x, 3, 2, 1)
        var y = Functional.MaxPool2d(X, 3, stride: 2, padding: 1);
        Assert.Equal([1, 2, 3, 3], y.ShapeArray());
        Assert.Equal([1f, 1.25f, 1.25f, 1, 1, 1.25f, 0.75f, 1, 0.5f, 1.25f, 1, 1, 1.25f, 1.25f, 1, 0.5f, 1.25f, 0.25f], y.ToArray());
    }

    [Fact]
    public void MaxPool2d_TiedWindow_SendsGradientToFirstMaximum()
    {
        var x = Tensor.FromArray([3f, 3, 1, 3], 1, 1, 2, 2).WithRequiresGrad();
        Functional.MaxPool2d(x, 2).Sum().Backward();
        Assert.Equal([1f, 0, 0, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void MaxPool2d_NegativeInputWithPadding_IgnoresPadding()
    {
        var y = Functional.MaxPool2d(Tensor.Full(-5f, 1, 1, 3, 3), 3, stride: 1, padding: 1);
        Assert.All(y.ToArray(), v => Assert.Equal(-5f, v));
    }

    [Theory]
    [InlineData(2, null, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(3, 1, 0)]
    public void Gradients_MatchFiniteDifferences(int kernel, int? stride, int padding)
    {
        var x = Distinct(2, 2, 5, 6);
        GradCheck.First(t => Functional.AvgPool2d(t[0], kernel, stride, padding), [x]);
        GradCheck.First(t => Functional.MaxPool2d(t[0], kernel, stride, padding), [x]);
        GradCheck.Second(t => Square(Functional.AvgPool2d(t[0], kernel, stride, padding)), [x]);
        GradCheck.Second(t => Square(Functional.MaxPool2d(t[0], kernel, stride, padding)), [x]);
    }

    [Fact]
    public void LargeBatch_MatchesSampleBySample()
    {
        // 2 × 65,536 elements: the kernels split the planes between threads; each sample alone runs on one.
        var x = TensorAssert.Random(3, 64, 8, 16, 16).WithRequiresGrad();
        var y = Functional.MaxPool2d(x, 3, stride: 2, padding: 1);
        var weights = TensorAssert.Random(4, y.ShapeArray());
        (y * weights).Sum().Backward();
        foreach (var n in new[] { 0, 31, 63 })
        {
            var sample = x.Detach().Slice(0, n, 1).WithRequiresGrad();
            var ySample = Functional.MaxPool2d(sample, 3, stride: 2, padding: 1);
            (ySample * weights.Slice(0, n, 1)).Sum().Backward();
            Assert.Equal(ySample.ToArray(), y.Detach().Slice(0, n, 1).ToArray());
            Assert.Equal(sample.Grad!.ToArray(), x.Grad!.Slice(0, n, 1).ToArray());
        }
    }

    [Fact]
    public void BadArguments_ThrowClearErrors()
    {
        var rank = Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros(2, 4, 4), 2));
        Assert.Contains("[2, 4, 4]", rank.Message);
        Assert.Throws<ArgumentException>(() => Functional.AvgPool2d(Tensor.Zeros(2, 4, 4), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.AvgPool2d(Tensor.Zeros(1, 1, 4, 4), 2, padding: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 2, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 0));
        Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros(1, 1, 2, 2), 3, padding: 0));
    }

    private static Tensor Square(Tensor x) => x * x;
}
