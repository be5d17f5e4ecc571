using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class UnaryTests
{
    private static readonly float[] Mixed = [-2.5f, -1f, -0.3f, 0.2f, 0.7f, 1.5f, 3f];
    private static readonly float[] Positive = [0.05f, 0.3f, 1f, 2.5f, 7f];

    // x = torch.tensor([-2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.0]); p = torch.tensor([0.05, 0.3, 1.0, 2.5, 7.0])
    // print(x.abs(), x.square(), x.exp(), x.pow(3), p.sqrt(), p.log(), p.pow(-1.5))
    [Fact]
    public void Forward_MatchesPyTorch()
    {
        var x = Tensor.FromArray((float[])Mixed.Clone(), 7);
        var p = Tensor.FromArray((float[])Positive.Clone(), 5);
        TensorAssert.Close([2.5f, 1f, 0.300000012f, 0.200000003f, 0.699999988f, 1.5f, 3f], x.Abs().Span);
        TensorAssert.Close([6.25f, 1f, 0.0900000036f, 0.0400000028f, 0.48999998f, 2.25f, 9f], x.Square().Span);
        TensorAssert.Close([0.0820849985f, 0.36787945f, 0.740818202f, 1.22140276f, 2.0137527f, 4.48168898f, 20.085537f], x.Exp().Span);
        TensorAssert.Close([-15.625f, -1f, -0.0270000026f, 0.00800000038f, 0.342999995f, 3.375f, 27f], x.Pow(3f).Span);
        TensorAssert.Close([0.223606795f, 0.547722578f, 1f, 1.58113885f, 2.64575124f], p.Sqrt().Span);
        TensorAssert.Close([-2.99573231f, -1.20397282f, 0f, 0.91629076f, 1.9459101f], p.Log().Span);
        TensorAssert.Close([89.4427185f, 6.08580589f, 1f, 0.252982199f, 0.0539949238f], p.Pow(-1.5f).Span);
        TensorAssert.Close(p.Sqrt().Span, p.Pow(0.5f).Span, 0, 0);
        TensorAssert.Close(x.Square().Span, x.Pow(2f).Span, 0, 0);
    }

    // g, = torch.autograd.grad(p.pow(-1.5).sum(), p); g, = torch.autograd.grad(x.pow(3).sum(), x)
    [Fact]
    public void Pow_Gradient_MatchesPyTorch()
    {
        var p = Tensor.FromArray((float[])Positive.Clone(), 5).WithRequiresGrad();
        p.Pow(-1.5f).Sum().Backward();
        TensorAssert.Close([-2683.28149f, -30.4290276f, -1.5f, -0.151789322f, -0.011570341f], p.Grad!.Span);

        var x = Tensor.FromArray((float[])Mixed.Clone(), 7).WithRequiresGrad();
        x.Pow(3f).Sum().Backward();
        TensorAssert.Close([18.75f, 3f, 0.270000011f, 0.120000005f, 1.46999991f, 6.75f, 27f], x.Grad!.Span);
    }

    [Fact]
    public void Pow_ZeroExponent_GivesOnesAndZeroGradient()
    {
        var x = Tensor.FromArray([-2f, 0f, 3f], 3).WithRequiresGrad();
        var y = x.Pow(0f);
        Assert.Equal([1f, 1f, 1f], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    // c = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], requires_grad=True); y = c.clamp(-1, 1)
    // g, = torch.autograd.grad(y.sum(), c)  -> the bounds themselves pass the gradient
    [Fact]
    public void Clamp_ValuesAndGradientAtBounds_MatchPyTorch()
    {
        var c = Tensor.FromArray([-2f, -1f, -0.5f, 0f, 0.5f, 1f, 2f], 7).WithRequiresGrad();
        var y = c.Clamp(-1f, 1f);
        Assert.Equal([-1f, -1f, -0.5f, 0f, 0.5f, 1f, 1f], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0f, 1f, 1f, 1f, 1f, 1f, 0f], c.Grad!.ToArray());
    }

    [Fact]
    public void Abs_GradientAtZero_IsZero()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f], 3).WithRequiresGrad();
        x.Abs().Sum().Backward();
        Assert.Equal([-1f, 0f, 1f], x.Grad!.ToArray());
    }

    [Fact]
    public void Forward_LargeTensor_MatchesSmallChunks()
    {
        // Large enough to be split across threads and to use the padded vector tail.
        var x = TensorAssert.Random(7, 3, 100_003) * 4f;
        var y = x.Abs().Sqrt().Add(0.1f).Log();
        var xs = x.Span;
        var ys = y.Span;
        for (var i = 0; i < xs.Length; i += 9973)
        {
            Assert.Equal(MathF.Log(MathF.Sqrt(MathF.Abs(xs[i])) + 0.1f), ys[i], 5e-6f);
        }

        Assert.Equal(MathF.Log(MathF.Sqrt(MathF.Abs(xs[^1])) + 0.1f), ys[^1], 5e-6f);
    }

    public static TheoryData<int[]> Shapes => new() { new[] { 7 }, new[] { 2, 3, 5 }, new[] { 1, 2, 3, 4 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FirstOrder_GradientsMatchFiniteDifferences(int[] shape)
    {
        var x = AwayFromZero(TensorAssert.Random(11, shape));
        var positive = TensorAssert.Random(12, shape).Abs() + 0.3f;
        GradCheck.First(t => t[0].Abs(), [x]);
        GradCheck.First(t => t[0].Square(), [x]);
        GradCheck.First(t => t[0].Exp(), [x]);
        GradCheck.First(t => t[0].Pow(3f), [x]);
        GradCheck.First(t => t[0].Sqrt(), [positive], epsilon: 1e-3);
        GradCheck.First(t => t[0].Log(), [positive], epsilon: 1e-3);
        GradCheck.First(t => t[0].Pow(-1.5f), [positive], epsilon: 1e-3);
        GradCheck.First(t => t[0].Pow(0.5f), [positive], epsilon: 1e-3);
        GradCheck.First(t => (t[0] * 2f).Clamp(-0.75f, 0.6f), [x], epsilon: 1e-3);
    }

    [Fact]
    public void SecondOrder_GradientPenaltyOps_MatchFiniteDifferences()
    {
        var x = AwayFromZero(TensorAssert.Random(13, 3, 4));
        var y = AwayFromZero(TensorAssert.Random(14, 3, 4));
        var positive = TensorAssert.Random(15, 3, 4).Abs() + 0.5f;
        GradCheck.Second(t => t[0].Square(), [x]);
        GradCheck.Second(t => t[0].Sqrt(), [positive], epsilon: 1e-3);
        GradCheck.Second(t => t[0].Pow(0.5f), [positive], epsilon: 1e-3);
        GradCheck.Second(t => t[0].Pow(3f), [x]);
        GradCheck.Second(t => t[0].Pow(1.5f), [positive], epsilon: 1e-3);
        GradCheck.Second(t => (t[0] * t[1]).Abs(), [x, y]);
        GradCheck.Second(t => t[0].Abs().Square(), [x]);
    }

    [Fact]
    public void SecondOrder_OtherOps_MatchFiniteDifferences()
    {
        var x = AwayFromZero(TensorAssert.Random(16, 2, 5));
        var positive = TensorAssert.Random(17, 2, 5).Abs() + 0.5f;
        GradCheck.Second(t => t[0].Exp(), [x]);
        GradCheck.Second(t => t[0].Log(), [positive], epsilon: 1e-3);
        GradCheck.Second(t => t[0].Clamp(-0.7f, 0.7f).Square(), [x], epsilon: 1e-3);
    }

    [Fact]
    public void BadArguments_ThrowClearExceptions()
    {
        var x = Tensor.Zeros(3);
        var clamp = Assert.Throws<ArgumentException>(() => x.Clamp(1f, -1f));
        Assert.Contains("min ≤ max", clamp.Message);
        Assert.Throws<ArgumentException>(() => x.Clamp(float.NaN, 1f));
        Assert.Throws<ArgumentException>(() => x.Pow(float.NaN));
    }

    [Fact]
    public void Ops_DoNotRecord_WhenNoInputNeedsGradient()
    {
        var x = TensorAssert.Random(18, 4);
        Assert.False(x.Square().RequiresGrad);
        using (GradMode.NoGrad())
        {
            Assert.False(x.WithRequiresGrad().Abs().RequiresGrad);
        }
    }

    /// <summary>Moves values at least 0.2 away from 0, where |x| and the like are not differentiable.</summary>
    internal static Tensor AwayFromZero(Tensor t)
    {
        var span = t.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = span[i] >= 0 ? span[i] + 0.2f : span[i] - 0.2f;
        }

        return t;
    }
}
