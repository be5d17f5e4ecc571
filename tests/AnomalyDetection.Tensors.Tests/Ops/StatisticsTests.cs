using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class StatisticsTests
{
    // x = torch.tensor([[[0.3, -1.2, 2.2, 0.7], [1.1, 0.4, -0.6, 1.9], [-2.0, 0.9, 0.05, -0.35]],
    //                   [[1.4, 0.2, -0.8, 2.6], [-1.7, 1.3, 0.6, -0.1], [0.45, -0.55, 1.8, 0.95]]], requires_grad=True)
    private static Tensor X() => Tensor.FromArray(
        [0.3f, -1.2f, 2.2f, 0.7f, 1.1f, 0.4f, -0.6f, 1.9f, -2f, 0.9f, 0.05f, -0.35f, 1.4f, 0.2f, -0.8f, 2.6f, -1.7f, 1.3f, 0.6f, -0.1f, 0.45f, -0.55f, 1.8f, 0.95f],
        2, 3, 4);

    // print(x.var(1, unbiased=False), x.var([0, 2], unbiased=True, keepdim=True), x.var(-1, unbiased=True))
    [Fact]
    public void Variance_MatchesPyTorch()
    {
        var x = X();
        var v1 = x.Variance([1]);
        Assert.Equal([2, 4], v1.ShapeArray());
        TensorAssert.Close([1.72666669f, 0.802222252f, 1.43166673f, 0.844999969f, 1.68166673f, 0.577222168f, 1.12888885f, 1.2349999f], v1.Span);
        var v02 = x.Variance([0, 2], keepDim: true, unbiased: true);
        Assert.Equal([1, 3, 1], v02.ShapeArray());
        TensorAssert.Close([1.80214286f, 1.31982148f, 1.34102678f], v02.Span);
        TensorAssert.Close([1.9533335f, 1.12666667f, 1.48166668f, 2.16999984f, 1.6491667f, 0.963958323f], x.Variance([-1], unbiased: true).Span);
    }

    [Fact]
    public void Variance_LargeOffset_StaysAccurate()
    {
        // Two passes: subtracting the mean first keeps the spread of values near 1e4 exact.
        var x = Tensor.FromArray([10000f, 10001f, 10002f, 10003f], 4);
        Assert.Equal(1.25f, x.Variance([0]).ToScalar(), 1e-4f);
    }

    [Fact]
    public void Variance_GradientsMatchFiniteDifferences()
    {
        var x = TensorAssert.Random(41, 2, 3, 4);
        GradCheck.First(t => t[0].Variance([1]), [x]);
        GradCheck.First(t => t[0].Variance([0, 2], keepDim: true, unbiased: true), [x]);
        GradCheck.Second(t => t[0].Variance([2]), [x]);
    }

    [Fact]
    public void Variance_NoDims_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => X().Variance([]));
        Assert.Contains("at least one dimension", ex.Message);
    }

    // v, i = x.max(1); g, = torch.autograd.grad((v * torch.arange(8.0).reshape(2, 4)).sum(), x)
    [Fact]
    public void Max_AlongMiddleDim_MatchesPyTorch()
    {
        var x = X().WithRequiresGrad();
        var v = x.Max(1);
        Assert.Equal([2, 4], v.ShapeArray());
        TensorAssert.Close([1.10000002f, 0.899999976f, 2.20000005f, 1.89999998f, 1.39999998f, 1.29999995f, 1.79999995f, 2.5999999f], v.Span);
        (v * Tensor.FromArray([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], 2, 4)).Sum().Backward();
        Assert.Equal(
            [0f, 0f, 2f, 0f, 0f, 0f, 0f, 3f, 0f, 1f, 0f, 0f, 4f, 0f, 0f, 7f, 0f, 5f, 0f, 0f, 0f, 0f, 6f, 0f],
            x.Grad!.ToArray());
    }

    // v, i = x.max(2, keepdim=True)
    [Fact]
    public void Max_AlongLastDimKeepDim_MatchesPyTorch()
    {
        var v = X().Max(-1, keepDim: true);
        Assert.Equal([2, 3, 1], v.ShapeArray());
        TensorAssert.Close([2.20000005f, 1.89999998f, 0.899999976f, 2.5999999f, 1.29999995f, 1.79999995f], v.Span);
    }

    // t = torch.tensor([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 1.0, 5.0]], requires_grad=True); v, i = t.max(1) -> i = [1, 0]
    // v, i = t.max(0) -> i = [1, 1, 0, 1]
    [Fact]
    public void Max_Ties_GradientGoesToFirstMaximum()
    {
        var t = Tensor.FromArray([1f, 3f, 3f, 2f, 5f, 5f, 1f, 5f], 2, 4).WithRequiresGrad();
        var rows = t.Max(1);
        Assert.Equal([3f, 5f], rows.ToArray());
        rows.Sum().Backward();
        Assert.Equal([0f, 1f, 0f, 0f, 1f, 0f, 0f, 0f], t.Grad!.ToArray());

        t.Grad = null;
        t.Max(0).Sum().Backward();
        Assert.Equal([0f, 0f, 1f, 0f, 1f, 1f, 0f, 1f], t.Grad!.ToArray());
    }

    [Fact]
    public void Max_NaN_IsTheMaximum()
    {
        var t = Tensor.FromArray([1f, float.NaN, 3f, 2f, 5f, float.NaN], 3, 2);
        var columns = t.Max(0);
        Assert.Equal(5f, columns.Span[0]);
        Assert.True(float.IsNaN(columns.Span[1]));
        Assert.True(float.IsNaN(t.Max(1).Span[0]));
    }

    [Fact]
    public void Max_WideInnerExtent_SpansSeveralColumnBlocks()
    {
        var x = TensorAssert.Random(42, 2, 3, 700);
        var v = x.Max(1);
        for (var o = 0; o < 2; o++)
        {
            for (var c = 0; c < 700; c++)
            {
                var expected = Math.Max(x[o, 0, c], Math.Max(x[o, 1, c], x[o, 2, c]));
                Assert.Equal(expected, v[o, c]);
            }
        }
    }

    [Fact]
    public void Max_GradientsMatchFiniteDifferences()
    {
        var x = TensorAssert.Random(43, 2, 3, 4);
        GradCheck.First(t => t[0].Max(1), [x], epsilon: 1e-3);
        GradCheck.First(t => t[0].Max(-1, keepDim: true), [x], epsilon: 1e-3);
        GradCheck.Second(t => t[0].Max(0).Square(), [x], epsilon: 1e-3);
    }

    [Fact]
    public void Max_BadDimension_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => X().Max(3));
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 0).Max(1));
        Assert.Contains("no elements", ex.Message);
    }
}
