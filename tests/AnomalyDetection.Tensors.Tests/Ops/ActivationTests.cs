using AnomalyDetection.Tensors.Kernels;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class ActivationTests
{
    private static readonly float[] Inputs = [-6f, -3f, -1.5f, -0.5f, -0.1f, 0.1f, 0.4f, 1.2f, 2.5f, 4f];

    // x = torch.tensor([-6.0, -3.0, -1.5, -0.5, -0.1, 0.1, 0.4, 1.2, 2.5, 4.0], requires_grad=True)
    // for fn in (torch.relu, lambda t: F.leaky_relu(t, 0.2), torch.tanh, torch.sigmoid, F.gelu):
    //     y = fn(x); g, = torch.autograd.grad(y.sum(), x); print(y, g)
    public static TheoryData<string, float[], float[]> PyTorchValues => new()
    {
        {
            "relu",
            [0f, 0f, 0f, 0f, 0f, 0.100000001f, 0.400000006f, 1.20000005f, 2.5f, 4f],
            [0f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f]
        },
        {
            "leaky0.2",
            [-1.20000005f, -0.600000024f, -0.300000012f, -0.100000001f, -0.0200000014f, 0.100000001f, 0.400000006f, 1.20000005f, 2.5f, 4f],
            [0.200000003f, 0.200000003f, 0.200000003f, 0.200000003f, 0.200000003f, 1f, 1f, 1f, 1f, 1f]
        },
        {
            "tanh",
            [-0.999987721f, -0.995054781f, -0.905148268f, -0.462117165f, -0.0996679962f, 0.0996679962f, 0.379948974f, 0.833654642f, 0.986614287f, 0.999329329f],
            [2.45569627e-05f, 0.00986598153f, 0.18070662f, 0.786447704f, 0.99006629f, 0.99006629f, 0.855638802f, 0.305019945f, 0.0265922491f, 0.0013408931f]
        },
        {
            "sigmoid",
            [0.00247262302f, 0.0474258736f, 0.182425529f, 0.377540678f, 0.475020796f, 0.524979174f, 0.598687649f, 0.768524826f, 0.924141824f, 0.982013762f],
            [0.00246650912f, 0.0451766588f, 0.149146467f, 0.23500371f, 0.249376059f, 0.249376044f, 0.24026075f, 0.177894413f, 0.0701037124f, 0.0176627338f]
        },
        {
            "gelu",
            [0f, -0.00404986739f, -0.10021086f, -0.154268786f, -0.0460172109f, 0.0539827906f, 0.262168676f, 1.06191635f, 2.48447585f, 3.99987316f],
            [-2.98023224e-08f, -0.0119456053f, -0.127469152f, 0.13250491f, 0.420476824f, 0.579523146f, 0.802729726f, 1.11795354f, 1.03761101f, 1.00050366f]
        },
    };

    [Theory]
    [MemberData(nameof(PyTorchValues))]
    public void ForwardAndGradient_MatchPyTorch(string activation, float[] expected, float[] expectedGradient)
    {
        var x = Tensor.FromArray((float[])Inputs.Clone(), Inputs.Length).WithRequiresGrad();
        var y = Apply(activation, x);
        y.Sum().Backward();
        TensorAssert.Close(expected, y.Span, absolute: 1e-6);
        TensorAssert.Close(expectedGradient, x.Grad!.Span, absolute: 1e-6);
    }

    // e = torch.tensor([-5.0, -3.9, -2.0, -1.0, -0.999, -0.5, -1e-3, 0.0, 1e-4, 0.3, 0.9999, 1.0, 1.7, 3.0, 3.95, 4.5])
    // print(torch.erf(e.double()))
    [Fact]
    public void Erf_MatchesPyTorchDoublePrecision()
    {
        float[] x = [-5f, -3.9f, -2f, -1f, -0.999f, -0.5f, -1e-3f, 0f, 1e-4f, 0.3f, 0.9999f, 1f, 1.7f, 3f, 3.95f, 4.5f];
        float[] expected =
        [
            -1f, -0.999999965f, -0.995322265f, -0.842700793f, -0.842285276f, -0.520499878f, -0.00112837884f, 0f,
            0.000112837913f, 0.328626772f, 0.842659271f, 0.842700793f, 0.983790462f, 0.99997791f, 0.999999977f, 1f,
        ];
        var actual = new float[x.Length];
        VectorLoop.Map(default(ErfOperator), x, actual);
        TensorAssert.Close(expected, actual, absolute: 2e-7, relative: 2e-7);
    }

    [Fact]
    public void Erf_DenseGrid_ErrorBelowTwoTenthsOfAMillionth()
    {
        var x = new float[12_001];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = -6f + (i * 1e-3f);
        }

        var actual = new float[x.Length];
        VectorLoop.Map(default(ErfOperator), x, actual);
        var worst = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var reference = ReferenceErf(x[i]);
            worst = Math.Max(worst, Math.Abs(actual[i] - reference));

            // Near zero the error must also be small relative to the value.
            if (Math.Abs(x[i]) < 1)
            {
                Assert.True(Math.Abs(actual[i] - reference) <= 2e-7 * Math.Abs(reference) + 1e-12, $"erf({x[i]}) = {actual[i]}, expected {reference}.");
            }
        }

        Assert.True(worst < 2e-7, $"The largest absolute error of erf was {worst:G3}.");
    }

    [Fact]
    public void Erf_SpecialValues()
    {
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-30f, -0f];
        var actual = new float[x.Length];
        VectorLoop.Map(default(ErfOperator), x, actual);
        Assert.Equal(1f, actual[0]);
        Assert.Equal(-1f, actual[1]);
        Assert.True(float.IsNaN(actual[2]));
        Assert.Equal(1.12837917e-30f, actual[3], 1e-36f);
        Assert.Equal(0f, actual[4]);
    }

    [Theory]
    [InlineData(new[] { 10 })]
    [InlineData(new[] { 2, 3, 5 })]
    [InlineData(new[] { 1, 2, 3, 7 })]
    public void FirstOrder_GradientsMatchFiniteDifferences(int[] shape)
    {
        var x = UnaryTests.AwayFromZero(TensorAssert.Random(21, shape) * 2f);
        GradCheck.First(t => t[0].Relu(), [x]);
        GradCheck.First(t => t[0].LeakyRelu(), [x]);
        GradCheck.First(t => t[0].LeakyRelu(0.2f), [x]);
        GradCheck.First(t => t[0].Tanh(), [x], epsilon: 1e-3);
        GradCheck.First(t => t[0].Sigmoid(), [x], epsilon: 1e-3);
        GradCheck.First(t => t[0].Gelu(), [x], epsilon: 1e-3);
    }

    [Fact]
    public void SecondOrder_LeakyRelu_MatchesFiniteDifferences()
    {
        // LeakyReLU's own second derivative is zero away from 0; through a product its gradient still depends on the
        // other factor, which is what a gradient penalty differentiates.
        var x = UnaryTests.AwayFromZero(TensorAssert.Random(22, 3, 4));
        var w = UnaryTests.AwayFromZero(TensorAssert.Random(23, 3, 4));
        GradCheck.Second(t => (t[0] * t[1]).LeakyRelu(0.2f), [x, w]);
        GradCheck.Second(t => (t[0] * t[1]).Relu(), [x, w]);
        GradCheck.Second(t => t[0].LeakyRelu(0.2f).Square(), [x]);
    }

    [Fact]
    public void SecondOrder_TanhAndSigmoid_MatchFiniteDifferences()
    {
        var x = TensorAssert.Random(24, 2, 5) * 2f;
        GradCheck.Second(t => t[0].Tanh(), [x], epsilon: 1e-3);
        GradCheck.Second(t => t[0].Sigmoid(), [x], epsilon: 1e-3);
    }

    [Fact]
    public void Gelu_CreateGraphBackward_ThrowsNotSupported()
    {
        var x = TensorAssert.Random(25, 4).WithRequiresGrad();
        var ex = Assert.Throws<NotSupportedException>(() => x.Gelu().Sum().GradientsWith([x], createGraph: true));
        Assert.Contains("GeluBackward", ex.Message);
    }

    [Fact]
    public void LeakyRelu_LargeTensor_MatchesScalarDefinition()
    {
        var x = TensorAssert.Random(26, 150_001).WithRequiresGrad();
        var y = x.LeakyRelu(0.1f);
        y.Sum().Backward();
        var xs = x.Span;
        for (var i = 0; i < xs.Length; i++)
        {
            Assert.Equal(xs[i] > 0 ? xs[i] : 0.1f * xs[i], y.Span[i]);
            Assert.Equal(xs[i] > 0 ? 1f : 0.1f, x.Grad!.Span[i]);
        }
    }

    [Fact]
    public void Relu_SpecialValues_FollowPyTorch()
    {
        var y = Tensor.FromArray([float.NegativeInfinity, float.NaN, float.PositiveInfinity], 3).Relu();
        Assert.Equal(0f, y.Span[0]);
        Assert.True(float.IsNaN(y.Span[1]));
        Assert.Equal(float.PositiveInfinity, y.Span[2]);
    }

    [Fact]
    public void LeakyRelu_NonFiniteSlope_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).LeakyRelu(float.NaN));
        Assert.Contains("negative slope", ex.Message);
    }

    private static Tensor Apply(string activation, Tensor x) => activation switch
    {
        "relu" => x.Relu(),
        "leaky0.2" => x.LeakyRelu(0.2f),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "gelu" => x.Gelu(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>erf by its Maclaurin series in double precision (accurate to ~1e-11 for |x| ≤ 4, where float erf is not yet 1).</summary>
    private static double ReferenceErf(double x)
    {
        if (Math.Abs(x) > 4)
        {
            return Math.Sign(x);
        }

        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -x * x / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
