using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class LossTests
{
    // x = torch.tensor([[0.3, -1.2, 2.5], [0.9, -0.4, 1.1]], requires_grad=True)
    // t = torch.tensor([[0.5, 0.2, -1.0], [1.4, -0.3, 0.0]], requires_grad=True)
    // for fn in (F.l1_loss, F.mse_loss): for red in ("mean", "sum", "none"):
    //     y = fn(x, t, reduction=red); gx, gt = torch.autograd.grad(y.sum(), [x, t]); print(y, gx)   (gt = -gx)
    public static TheoryData<string, Reduction, float[], float[]> RegressionValues => new()
    {
        { "l1", Reduction.Mean, [1.13333333f], [-0.166666672f, -0.166666672f, 0.166666672f, -0.166666672f, -0.166666672f, 0.166666672f] },
        { "l1", Reduction.Sum, [6.80000019f], [-1f, -1f, 1f, -1f, -1f, 1f] },
        { "l1", Reduction.None, [0.199999988f, 1.4000001f, 3.5f, 0.5f, 0.099999994f, 1.10000002f], [-1f, -1f, 1f, -1f, -1f, 1f] },
        { "mse", Reduction.Mean, [2.62000012f], [-0.0666666627f, -0.466666698f, 1.16666675f, -0.166666672f, -0.0333333313f, 0.366666675f] },
        { "mse", Reduction.Sum, [15.7200003f], [-0.399999976f, -2.80000019f, 7f, -1f, -0.199999988f, 2.20000005f] },
        { "mse", Reduction.None, [0.0399999954f, 1.96000028f, 12.25f, 0.25f, 0.00999999885f, 1.21000004f], [-0.399999976f, -2.80000019f, 7f, -1f, -0.199999988f, 2.20000005f] },
    };

    [Theory]
    [MemberData(nameof(RegressionValues))]
    public void RegressionLosses_MatchPyTorch(string loss, Reduction reduction, float[] expected, float[] expectedInputGradient)
    {
        var x = Tensor.FromArray([0.3f, -1.2f, 2.5f, 0.9f, -0.4f, 1.1f], 2, 3).WithRequiresGrad();
        var t = Tensor.FromArray([0.5f, 0.2f, -1f, 1.4f, -0.3f, 0f], 2, 3).WithRequiresGrad();
        var y = loss == "l1" ? Functional.L1Loss(x, t, reduction) : Functional.MseLoss(x, t, reduction);
        Assert.Equal(reduction == Reduction.None ? [2, 3] : [], y.ShapeArray());
        y.Sum().Backward();
        TensorAssert.Close(expected, y.Span);
        TensorAssert.Close(expectedInputGradient, x.Grad!.Span);
        TensorAssert.Close(expectedInputGradient, (-t.Grad!).Span);
    }

    // z = torch.tensor([[-3.0, -0.5, 0.0, 0.7], [2.2, -1.4, 4.0, 0.1]], requires_grad=True); tt = torch.tensor([[1.0], [0.25]], requires_grad=True)
    // y = F.binary_cross_entropy_with_logits(z, tt.expand(2, 4), reduction=red); gz, gt = torch.autograd.grad(y.sum(), [z, tt])
    public static TheoryData<Reduction, float[], float[], float[]> BceValues => new()
    {
        {
            Reduction.Mean, [1.39775562f],
            [-0.119071767f, -0.0778074116f, -0.0625f, -0.0414765328f, 0.0812811926f, -0.00652298704f, 0.0915017202f, 0.0343723968f],
            [0.349999994f, -0.612500012f]
        },
        {
            Reduction.Sum, [11.182045f],
            [-0.952574134f, -0.622459292f, -0.5f, -0.331812263f, 0.650249541f, -0.0521838963f, 0.732013762f, 0.274979174f],
            [2.79999995f, -4.9000001f]
        },
        {
            Reduction.None, [3.04858732f, 0.974076986f, 0.693147182f, 0.403186083f, 1.75508344f, 0.570417404f, 3.01814985f, 0.719396651f],
            [-0.952574134f, -0.622459292f, -0.5f, -0.331812263f, 0.650249541f, -0.0521838963f, 0.732013762f, 0.274979174f],
            [2.79999995f, -4.9000001f]
        },
    };

    [Theory]
    [MemberData(nameof(BceValues))]
    public void BinaryCrossEntropyWithLogits_BroadcastTarget_MatchesPyTorch(Reduction reduction, float[] expected, float[] expectedLogitGradient, float[] expectedTargetGradient)
    {
        var z = Tensor.FromArray([-3f, -0.5f, 0f, 0.7f, 2.2f, -1.4f, 4f, 0.1f], 2, 4).WithRequiresGrad();
        var t = Tensor.FromArray([1f, 0.25f], 2, 1).WithRequiresGrad();
        var y = Functional.BinaryCrossEntropyWithLogits(z, t, reduction);
        y.Sum().Backward();
        TensorAssert.Close(expected, y.Span);
        TensorAssert.Close(expectedLogitGradient, z.Grad!.Span);
        TensorAssert.Close(expectedTargetGradient, t.Grad!.Span);
    }

    // e = torch.tensor([50.0, -50.0, 100.0, -100.0], requires_grad=True); et = torch.tensor([0.0, 1.0, 1.0, 0.0])
    // y = F.binary_cross_entropy_with_logits(e, et, reduction="none"); g, = torch.autograd.grad(y.sum(), e)
    [Fact]
    public void BinaryCrossEntropyWithLogits_ExtremeLogits_StayFinite()
    {
        var e = Tensor.FromArray([50f, -50f, 100f, -100f], 4).WithRequiresGrad();
        var y = Functional.BinaryCrossEntropyWithLogits(e, Tensor.FromArray([0f, 1f, 1f, 0f], 4), Reduction.None);
        y.Sum().Backward();
        Assert.Equal([50f, 50f, 0f, 0f], y.ToArray());
        Assert.Equal([1f, -1f, 0f, 0f], e.Grad!.ToArray());
    }

    [Fact]
    public void Losses_GradientsMatchFiniteDifferences()
    {
        var x = TensorAssert.Random(61, 2, 3, 4);
        // The target stays at least 0.2 from the input, away from the kink of |x − t|.
        var target = x - UnaryTests.AwayFromZero(TensorAssert.Random(62, 2, 3, 4));
        var probabilities = TensorAssert.Random(63, 2, 1, 4).Abs();
        GradCheck.First(t => Functional.L1Loss(t[0], t[1]), [x, target]);
        GradCheck.First(t => Functional.MseLoss(t[0], t[1], Reduction.None), [x, target]);
        GradCheck.First(t => Functional.BinaryCrossEntropyWithLogits(t[0] * 3f, t[1]), [x, probabilities], epsilon: 1e-3);
        GradCheck.First(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], Reduction.None), [x, x.Sigmoid()], epsilon: 1e-3);
    }

    [Fact]
    public void Losses_SecondOrder_MatchFiniteDifferences()
    {
        var x = TensorAssert.Random(64, 3, 4);
        var target = TensorAssert.Random(65, 3, 4).Abs();
        GradCheck.Second(t => Functional.MseLoss(t[0], t[1], Reduction.Sum), [x, target]);
        GradCheck.Second(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], Reduction.Sum), [x, target], epsilon: 1e-3);
    }

    [Fact]
    public void BadArguments_ThrowClearExceptions()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", mismatch.Message);
        Assert.Contains("[3, 2]", mismatch.Message);
        Assert.Throws<ArgumentException>(() => Functional.L1Loss(Tensor.Zeros(2, 3), Tensor.Zeros(3)));
        var bce = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(2, 1), Tensor.Zeros(2, 3)));
        Assert.Contains("broadcasts to the logits", bce.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.MseLoss(Tensor.Zeros(2), Tensor.Zeros(2), (Reduction)7));
    }
}
