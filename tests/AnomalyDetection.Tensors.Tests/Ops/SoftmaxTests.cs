using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class SoftmaxTests
{
    // x = torch.tensor([[0.2, -1.3, 2.1, 0.5], [1.7, 0.0, -0.4, 3.2], [-2.2, 0.6, 0.9, -0.1]], requires_grad=True)
    // w = torch.tensor([[0.3, -0.7, 1.1, 0.2], [-0.5, 0.9, 0.4, -1.2], [0.8, 0.1, -0.6, 0.5]])
    // for dim in (1, 0): for fn in (torch.softmax, torch.log_softmax):
    //     y = fn(x, dim); g, = torch.autograd.grad((y * w).sum(), x); print(y, g)
    public static TheoryData<bool, int, float[], float[]> PyTorchValues => new()
    {
        {
            false, 1,
            [0.108004399f, 0.0240990371f, 0.722105861f, 0.145790666f, 0.172806203f, 0.0315688439f, 0.0211612266f, 0.774463654f, 0.0209166668f, 0.343967199f, 0.464307129f, 0.170809045f],
            [-0.0582150817f, -0.0370885767f, 0.18846488f, -0.093161203f, 0.0827539563f, 0.0593141653f, 0.0291788559f, -0.171247095f, 0.0197045412f, 0.0832571685f, -0.212629586f, 0.109667905f]
        },
        {
            true, 1,
            [-2.22558331f, -3.72558331f, -0.325583488f, -1.92558336f, -1.75558448f, -3.45558453f, -3.85558462f, -0.255584508f, -3.86720896f, -1.06720901f, -0.767209053f, -1.76720905f],
            [0.202796042f, -0.721689105f, 0.450104713f, 0.0687883869f, -0.430877507f, 0.912627518f, 0.408464491f, -0.890214503f, 0.783266664f, -0.175173759f, -0.971445739f, 0.363352776f]
        },
        {
            false, 0,
            [0.179455668f, 0.0880654454f, 0.722919881f, 0.0608696677f, 0.804264486f, 0.323138237f, 0.0593408756f, 0.905724347f, 0.0162798483f, 0.588796318f, 0.217739284f, 0.033405982f],
            [0.1140031f, -0.0870137885f, 0.29762271f, 0.0765735805f, -0.132485151f, 0.197741777f, -0.0171082541f, -0.128619835f, 0.0184820499f, -0.110727988f, -0.280514568f, 0.0520462655f]
        },
        {
            true, 0,
            [-1.71782708f, -2.4296751f, -0.32445693f, -2.79902029f, -0.217827111f, -1.12967503f, -2.82445693f, -0.0990202576f, -4.11782742f, -0.529675007f, -1.52445686f, -3.3990202f],
            [0.192326605f, -0.726419628f, 0.449372202f, 0.230434835f, -0.982558727f, 0.803058505f, 0.346593231f, -0.747137904f, 0.790232122f, -0.0766388848f, -0.795965374f, 0.51670301f]
        },
    };

    [Theory]
    [MemberData(nameof(PyTorchValues))]
    public void ForwardAndGradient_MatchPyTorch(bool log, int dim, float[] expected, float[] expectedGradient)
    {
        var x = Tensor.FromArray([0.2f, -1.3f, 2.1f, 0.5f, 1.7f, 0f, -0.4f, 3.2f, -2.2f, 0.6f, 0.9f, -0.1f], 3, 4).WithRequiresGrad();
        var w = Tensor.FromArray([0.3f, -0.7f, 1.1f, 0.2f, -0.5f, 0.9f, 0.4f, -1.2f, 0.8f, 0.1f, -0.6f, 0.5f], 3, 4);
        var y = log ? Functional.LogSoftmax(x, dim) : Functional.Softmax(x, dim);
        (y * w).Sum().Backward();
        TensorAssert.Close(expected, y.Span, absolute: 1e-6);
        TensorAssert.Close(expectedGradient, x.Grad!.Span, absolute: 1e-6);
    }

    // torch.softmax(torch.tensor([1000.0, 1001.0, 1002.0, -1000.0]), 0); torch.log_softmax(...)
    [Fact]
    public void LargeInputs_StayFinite_MatchPyTorch()
    {
        var x = Tensor.FromArray([1000f, 1001f, 1002f, -1000f], 4);
        TensorAssert.Close([0.0900305733f, 0.244728476f, 0.665240943f, 0f], Functional.Softmax(x, 0).Span);
        TensorAssert.Close([-2.40760589f, -1.40760589f, -0.407605946f, -2002.40759f], Functional.LogSoftmax(x, 0).Span);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void AnyDim_MatchesDoublePrecisionReference(int dim)
    {
        var x = TensorAssert.Random(51, 2, 3, 5) * 6f;
        var softmax = Functional.Softmax(x, dim);
        var logSoftmax = Functional.LogSoftmax(x, dim);
        var (expected, expectedLog) = Reference(x, dim);
        TensorAssert.Close(expected, softmax.Span, absolute: 1e-6);
        TensorAssert.Close(expectedLog, logSoftmax.Span, absolute: 1e-5);
    }

    [Fact]
    public void WideInnerExtent_SpansSeveralColumnBlocks()
    {
        var x = TensorAssert.Random(52, 2, 3, 700) * 4f;
        var (expected, expectedLog) = Reference(x, 1);
        TensorAssert.Close(expected, Functional.Softmax(x, 1).Span, absolute: 1e-6);
        TensorAssert.Close(expectedLog, Functional.LogSoftmax(x, 1).Span, absolute: 1e-5);
    }

    [Theory]
    [InlineData(new[] { 6 }, 0)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, 2)]
    [InlineData(new[] { 2, 3, 4 }, 0)]
    public void Gradients_FirstAndSecondOrder_MatchFiniteDifferences(int[] shape, int dim)
    {
        var x = TensorAssert.Random(53, shape) * 2f;
        GradCheck.First(t => Functional.Softmax(t[0], dim), [x], epsilon: 1e-3);
        GradCheck.First(t => Functional.LogSoftmax(t[0], dim), [x], epsilon: 1e-3);
        GradCheck.Second(t => Functional.Softmax(t[0], dim), [x], epsilon: 1e-3);
        GradCheck.Second(t => Functional.LogSoftmax(t[0], dim), [x], epsilon: 1e-3);
    }

    [Fact]
    public void EmptyDimension_GivesEmptyResult()
    {
        Assert.Equal([3, 0], Functional.Softmax(Tensor.Zeros(3, 0), 1).ShapeArray());
        Assert.Equal([0, 4], Functional.LogSoftmax(Tensor.Zeros(0, 4), 1).ShapeArray());
    }

    [Fact]
    public void BadDimension_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Softmax(Tensor.Zeros(2, 3), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.LogSoftmax(Tensor.Zeros(2, 3), -3));
    }

    /// <summary>Softmax and log-softmax along <paramref name="dim"/> of a rank-3 tensor, in double precision.</summary>
    private static (float[] Softmax, float[] LogSoftmax) Reference(Tensor x, int dim)
    {
        var shape = x.ShapeArray();
        var d = dim < 0 ? dim + shape.Length : dim;
        var softmax = new float[x.Count];
        var logSoftmax = new float[x.Count];
        for (var i = 0; i < shape[0]; i++)
        {
            for (var j = 0; j < shape[1]; j++)
            {
                for (var k = 0; k < shape[2]; k++)
                {
                    int[] index = [i, j, k];
                    double sum = 0;
                    for (var m = 0; m < shape[d]; m++)
                    {
                        var other = (int[])index.Clone();
                        other[d] = m;
                        sum += Math.Exp(x[other]);
                    }

                    var at = (((i * shape[1]) + j) * shape[2]) + k;
                    softmax[at] = (float)(Math.Exp(x[index]) / sum);
                    logSoftmax[at] = (float)(x[index] - Math.Log(sum));
                }
            }
        }

        return (softmax, logSoftmax);
    }
}
