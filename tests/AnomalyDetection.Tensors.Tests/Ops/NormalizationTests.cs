using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

// Reference values come from PyTorch 1.13 with inputs built by Pattern (a(n, m, o, s) below):
//   a = lambda n, m, o, s: torch.tensor([((i*m) % o - o//2) * s for i in range(n)], dtype=torch.float32)
//   x1 = a(24, 7, 11, 0.25).reshape(2,3,2,2); x2 = a(24, 5, 13, 0.3).reshape(2,3,2,2)
//   w = torch.tensor([1.5, -0.5, 2.0]); b = torch.tensor([0.1, 0.2, -0.3])
public class NormalizationTests
{
    private static readonly float[] ChannelWeight = [1.5f, -0.5f, 2f];
    private static readonly float[] ChannelBias = [0.1f, 0.2f, -0.3f];

    private static Tensor Pattern(int n, int m, int o, double s, params int[] shape)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (float)((((i * m) % o) - (o / 2)) * s);
        }

        return Tensor.FromArray(values, shape);
    }

    private static Tensor X1 => Pattern(24, 7, 11, 0.25, 2, 3, 2, 2);

    private static Tensor X2 => Pattern(24, 5, 13, 0.3, 2, 3, 2, 2);

    private static Tensor Weight => Tensor.From(ChannelWeight, 3);

    private static Tensor Bias => Tensor.From(ChannelBias, 3);

    [Fact]
    public void BatchNorm2d_TwoTrainingSteps_MatchesPyTorchOutputAndRunningStatistics()
    {
        // rm = torch.zeros(3); rv = torch.ones(3)
        // F.batch_norm(x1, rm, rv, w, b, training=True); y2 = F.batch_norm(x2, rm, rv, w, b, training=True)
        var runningMean = Tensor.Zeros(3);
        var runningVar = Tensor.Ones(3);
        Functional.BatchNorm2d(X1, runningMean, runningVar, Weight, Bias, training: true);
        var y2 = Functional.BatchNorm2d(X2, runningMean, runningVar, Weight, Bias, training: true);
        TensorAssert.Close(
            [
                -1.852826f, 0.09999997f, 2.052826f, -1.071696f, 0.2179604f, -0.5004575f, 0.6490112f, -0.06940672f, -2.903768f, -0.3f, 2.303768f, -1.862261f,
                1.271696f, -1.852826f, 0.09999997f, 2.052826f, 0.9363784f, 0.2179604f, -0.5004575f, 0.6490112f, 1.262261f, -2.903768f, -0.3f, 2.303768f,
            ],
            y2.Span);
        TensorAssert.Close([-0.013125f, 0.0309375f, -0.0225f], runningMean.Span);
        TensorAssert.Close([1.032027f, 0.9882924f, 1.027607f], runningVar.Span);
    }

    [Fact]
    public void BatchNorm2d_Evaluation_UsesRunningStatisticsAsPyTorch()
    {
        // F.batch_norm(x1, rm, rv, w, b, training=False) with the running statistics after the two steps above.
        var runningMean = Tensor.FromArray([-0.013125f, 0.0309375f, -0.0225f], 3);
        var runningVar = Tensor.FromArray([1.032027f, 0.9882924f, 1.027607f], 3);
        var y = Functional.BatchNorm2d(X1, runningMean, runningVar, Weight, Bias, training: false);
        TensorAssert.Close(
            [
                -1.726289f, 0.8576469f, -0.6188878f, 1.965048f, 0.08982246f, 0.5927728f, -0.2873903f, 0.21556f, -2.228551f, 1.224098f, -0.7488443f, -2.721786f,
                0.8576469f, -0.6188878f, 1.965048f, 0.4885132f, 0.5927728f, -0.2873903f, 0.21556f, 0.7185103f, 1.224098f, -0.7488443f, -2.721786f, 0.7308621f,
            ],
            y.Span);
        Assert.Equal([-0.013125f, 0.0309375f, -0.0225f], runningMean.ToArray());
    }

    [Fact]
    public void BatchNorm2d_RankTwoWithoutAffine_MatchesPyTorch()
    {
        // F.batch_norm(a(8, 3, 7, 0.5).reshape(4,2), None, None, training=True)
        var y = Functional.BatchNorm2d(Pattern(8, 3, 7, 0.5, 4, 2), null, null, null, null, training: true);
        TensorAssert.Close([-1.646458f, 1.341619f, 0.9878745f, 0.4472064f, 0.5488192f, -0.4472065f, 0.1097638f, -1.341619f], y.Span);
    }

    [Fact]
    public void InstanceNorm2d_TwoStepsWithRunningStatistics_MatchesPyTorch()
    {
        // F.instance_norm(x1, rm, rv, w, b, use_input_stats=True); y2 = F.instance_norm(x2, rm, rv, w, b, use_input_stats=True)
        var runningMean = Tensor.Zeros(3);
        var runningVar = Tensor.Ones(3);
        Functional.InstanceNorm2d(X1, runningMean, runningVar, Weight, Bias);
        var y2 = Functional.InstanceNorm2d(X2, runningMean, runningVar, Weight, Bias);
        TensorAssert.Close(
            [
                -1.592488f, 0.3986742f, 2.389837f, -0.7960231f, 0.3714975f, -0.4859898f, 0.8859898f, 0.02850256f, -2.55665f, 0.0982324f, 2.753115f, -1.494697f,
                0.996023f, -2.189837f, -0.1986744f, 1.792488f, 0.7641626f, 0.1004419f, -0.5632788f, 0.4986743f, 0.8946972f, -3.353115f, -0.6982324f, 1.95665f,
            ],
            y2.Span);
        TensorAssert.Close([-0.013125f, 0.0309375f, -0.0225f], runningMean.Span);
        TensorAssert.Close([1.058062f, 1.005891f, 1.052906f], runningVar.Span);

        // F.instance_norm(x1, rm, rv, w, b, use_input_stats=False)
        var evaluated = Functional.InstanceNorm2d(X1, runningMean, runningVar, Weight, Bias, useInputStatistics: false);
        TensorAssert.Close(
            [
                -1.70368f, 0.8482673f, -0.609988f, 1.941959f, 0.09079049f, 0.5893218f, -0.283108f, 0.2154233f, -2.205241f, 1.205676f, -0.7434192f, -2.692515f,
                0.8482673f, -0.609988f, 1.941959f, 0.4837034f, 0.5893218f, -0.283108f, 0.2154233f, 0.7139546f, 1.205676f, -0.7434192f, -2.692515f, 0.7184023f,
            ],
            evaluated.Span);
    }

    [Fact]
    public void InstanceNorm2d_WithoutAffineOrRunningStatistics_MatchesPyTorch()
    {
        // F.instance_norm(x1)
        var y = Functional.InstanceNorm2d(X1, null, null, null, null);
        TensorAssert.Close(
            [
                -1.313057f, 0.5252228f, -0.5252228f, 1.313057f, 0.1999974f, -1.399982f, 1.399982f, -0.1999974f, -0.7228914f, 1.526104f, 0.2409638f, -1.044176f,
                0.1999974f, -1.399982f, 1.399982f, -0.1999975f, -0.7228914f, 1.526104f, 0.2409638f, -1.044176f, 1.044176f, -0.2409638f, -1.526104f, 0.7228914f,
            ],
            y.Span);
    }

    [Fact]
    public void LayerNorm_TwoTrailingDimensionsWithAffine_MatchesPyTorch()
    {
        // x3 = a(24, 7, 11, 0.25).reshape(2,3,4); lw = a(12, 5, 7, 0.5).reshape(3,4) + 1; lb = a(12, 3, 5, 0.1).reshape(3,4)
        // F.layer_norm(x3, (3,4), lw, lb)
        var x = Pattern(24, 7, 11, 0.25, 2, 3, 4);
        var weight = Pattern(12, 5, 7, 0.5, 3, 4) + 1f;
        var bias = Pattern(12, 3, 5, 0.1, 3, 4);
        var y = Functional.LayerNorm(x, 2, weight, bias);
        TensorAssert.Close(
            [
                0.4885718f, 1.55226f, -0.5757405f, 0.2f, 1.064156f, -1.364312f, 0.7635328f, -0.1625974f, -1.953351f, 1.026598f, -0.2f, -3.342859f,
                -0.4978392f, -1.307967f, 1.470425f, 0.2f, -2.572248f, 1.668264f, 0.0729237f, 0.5769072f, 2.041188f, -0.379068f, -0.2f, 1.589196f,
            ],
            y.Span);

        // F.layer_norm(x3, (4,))
        TensorAssert.Close(
            [
                -1.313057f, 0.5252228f, -0.5252228f, 1.313057f, 0.1999974f, -1.399982f, 1.399982f, -0.1999974f, -0.7228914f, 1.526104f, 0.2409638f, -1.044176f,
                0.1999974f, -1.399982f, 1.399982f, -0.1999974f, -0.7228914f, 1.526104f, 0.2409638f, -1.044176f, 1.044176f, -0.2409638f, -1.526104f, 0.7228914f,
            ],
            Functional.LayerNorm(x, 1, null, null).Span);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void BatchNorm2d_Gradients_MatchFiniteDifferences(bool training, bool affine)
    {
        var x = TensorAssert.Random(11, 3, 2, 3, 2) * 2f;
        var weight = TensorAssert.Random(12, 2) + 1.5f;
        var bias = TensorAssert.Random(13, 2);
        var runningMean = TensorAssert.Random(14, 2) * 0.1f;
        var runningVar = TensorAssert.Random(15, 2) * 0.2f + 1f;
        Tensor Norm(Tensor[] t) => Functional.BatchNorm2d(
            t[0], training ? null : runningMean, training ? null : runningVar, affine ? t[1] : null, affine ? t[2] : null, training);
        GradCheck.First(Norm, affine ? [x, weight, bias] : [x]);
        var features = TensorAssert.Random(16, 5, 2) * 2f;
        GradCheck.First(t => Functional.BatchNorm2d(t[0], training ? null : runningMean, training ? null : runningVar, affine ? t[1] : null, null, training), affine ? [features, weight] : [features]);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void InstanceNorm2d_Gradients_MatchFiniteDifferences(bool useInputStatistics, bool affine)
    {
        var x = TensorAssert.Random(21, 2, 3, 3, 2) * 2f;
        var weight = TensorAssert.Random(22, 3) + 1.5f;
        var bias = TensorAssert.Random(23, 3);
        var runningMean = TensorAssert.Random(24, 3) * 0.1f;
        var runningVar = TensorAssert.Random(25, 3) * 0.2f + 1f;
        Tensor Norm(Tensor[] t) => Functional.InstanceNorm2d(
            t[0], useInputStatistics ? null : runningMean, useInputStatistics ? null : runningVar, affine ? t[1] : null, affine ? t[2] : null, useInputStatistics);
        GradCheck.First(Norm, affine ? [x, weight, bias] : [x]);
    }

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, true, false)]
    [InlineData(2, false, true)]
    [InlineData(3, false, false)]
    public void LayerNorm_Gradients_MatchFiniteDifferences(int normalizedDims, bool withWeight, bool withBias)
    {
        var x = TensorAssert.Random(31, 2, 3, 5) * 2f;
        var parameterShape = x.ShapeArray()[^normalizedDims..];
        var weight = TensorAssert.Random(32, parameterShape) + 1f;
        var bias = TensorAssert.Random(33, parameterShape);
        GradCheck.First(t => Functional.LayerNorm(t[0], normalizedDims, withWeight ? t[1] : null, withBias ? t[2] : null), [x, weight, bias]);
    }

    [Fact]
    public void Gradients_OnLargeTensorsSplitAcrossThreads_MatchDirectionalFiniteDifferences()
    {
        // (8, 16, 32, 32) is 2 × 65,536 elements: enough for the kernels to split the segments and rows between threads.
        var x = TensorAssert.Random(41, 8, 16, 32, 32) * 3f + 0.5f;
        var weight = TensorAssert.Random(42, 16) + 1.5f;
        var bias = TensorAssert.Random(43, 16);
        DirectionalCheck(t => Functional.BatchNorm2d(t[0], null, null, t[1], t[2], training: true), [x, weight, bias]);
        DirectionalCheck(t => Functional.InstanceNorm2d(t[0], null, null, t[1], t[2]), [x, weight, bias]);
        var rows = x.Reshape(128, 1024);
        DirectionalCheck(t => Functional.LayerNorm(t[0], 1, t[1], t[2]), [rows, TensorAssert.Random(44, 1024) + 1f, TensorAssert.Random(45, 1024)]);
    }

    [Fact]
    public void Statistics_LargeOffset_StayAccurate()
    {
        // A mean far from zero must not swamp a small variance (the statistics pass shifts by a sample value).
        var x = TensorAssert.Random(51, 2, 2, 8, 8) + 1000f;
        var expected = Functional.InstanceNorm2d(TensorAssert.Random(51, 2, 2, 8, 8), null, null, null, null);
        TensorAssert.Close(expected, Functional.InstanceNorm2d(x, null, null, null, null), 2e-3, 2e-3);
    }

    [Fact]
    public void CreateGraphBackward_ThroughNorm_ThrowsNotSupported()
    {
        var x = TensorAssert.Random(61, 2, 2, 3, 3).WithRequiresGrad();
        var y = Functional.InstanceNorm2d(x, null, null, null, null);
        var ex = Assert.Throws<NotSupportedException>(() => (y * y).Sum().GradientsWith([x], createGraph: true));
        Assert.Contains("ChannelNormBackward", ex.Message);
    }

    [Fact]
    public void BadArguments_ThrowClearErrors()
    {
        var x = Tensor.Zeros(2, 3, 4, 4);
        var rank = Assert.Throws<ArgumentException>(() => Functional.BatchNorm2d(Tensor.Zeros(2, 3, 4), null, null, null, null, true));
        Assert.Contains("[2, 3, 4]", rank.Message);
        var weight = Assert.Throws<ArgumentException>(() => Functional.BatchNorm2d(x, null, null, Tensor.Ones(4), null, true));
        Assert.Contains("weight of shape [3]", weight.Message);
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm2d(x, Tensor.Zeros(3), null, null, null, true));
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm2d(x, null, null, null, null, training: false));
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm2d(Tensor.Zeros(1, 3, 1, 1), null, null, null, null, training: true));
        Assert.Throws<ArgumentException>(() => Functional.InstanceNorm2d(Tensor.Zeros(4, 3, 1, 1), null, null, null, null));
        Assert.Throws<ArgumentException>(() => Functional.InstanceNorm2d(x, null, null, null, null, useInputStatistics: false));
        Assert.Throws<ArgumentException>(() => Functional.InstanceNorm2d(Tensor.Zeros(3, 4, 4), null, null, null, null));
        var layer = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(x, 2, Tensor.Ones(4, 3), null));
        Assert.Contains("[4, 4]", layer.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.LayerNorm(x, 5, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.LayerNorm(x, 0, null, null));
    }

    /// <summary>Compares the gradient along one random direction with a central difference of the weighted output.</summary>
    private static void DirectionalCheck(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        var random = new RandomSource(7);
        var leaves = inputs.Select(i => i.Clone().WithRequiresGrad()).ToArray();
        var output = function(leaves);
        // Weights with a mean and a part along the output make mean(g) and mean(g·x̂) large, so that the terms of the
        // backward that remove them matter.
        var weights = Tensor.Uniform(random, -1f, 1f, output.ShapeArray()) + (output.Detach() * 0.5f) + 0.5f;
        (output * weights).Sum().Backward();
        var directions = inputs.Select(i => Tensor.Uniform(random, -1f, 1f, i.ShapeArray())).ToArray();
        double analytic = 0;
        for (var k = 0; k < inputs.Length; k++)
        {
            analytic += Dot(leaves[k].Grad!.Span, directions[k].Span);
        }

        const float Step = 1e-2f;
        double Evaluate(float sign)
        {
            using var noGrad = GradMode.NoGrad();
            return Dot(function([.. inputs.Select((x, k) => x + (directions[k] * (sign * Step)))]).Span, weights.Span);
        }

        var numeric = (Evaluate(1) - Evaluate(-1)) / (2 * Step);
        Assert.True(Math.Abs(numeric - analytic) <= 2e-3 * Math.Max(1, Math.Abs(numeric)), $"directional derivative: finite difference {numeric}, autograd {analytic}");
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double total = 0;
        for (var i = 0; i < a.Length; i++)
        {
            total += (double)a[i] * b[i];
        }

        return total;
    }
}
