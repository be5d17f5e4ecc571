using AnomalyDetection.Tensors.Kernels;
using AnomalyDetection.Tensors.Tests.Helpers;
using static AnomalyDetection.Tensors.Functional;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class ConvolutionTests
{
    // (batch, inChannels, height, width, outChannels, kernel, stride, padding, dilation)
    public static TheoryData<int, int, int, int, int, int, int, int, int> ForwardCases => new()
    {
        { 2, 3, 7, 6, 4, 3, 1, 1, 1 },
        { 2, 3, 8, 8, 5, 4, 2, 1, 1 },
        { 1, 2, 9, 7, 3, 3, 2, 0, 2 },
        { 3, 1, 5, 5, 2, 1, 1, 0, 1 },
        { 2, 4, 6, 6, 33, 3, 3, 2, 1 },
        { 4, 8, 20, 20, 16, 3, 1, 1, 1 },
        { 1, 16, 12, 12, 8, 4, 2, 1, 1 },
        { 1, 32, 24, 24, 16, 3, 1, 1, 1 },
        { 8, 2, 48, 48, 8, 3, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Conv2dAndGradients_EveryKernelTier_MatchNaiveReference(int n, int cin, int h, int w, int cout, int k, int stride, int padding, int dilation)
    {
        var x = TensorAssert.Random(1, n, cin, h, w);
        var weight = TensorAssert.Random(2, cout, cin, k, k);
        var bias = TensorAssert.Random(3, cout);
        var expected = NaiveConv(x, weight, bias, stride, padding, dilation);
        var gy = TensorAssert.Random(4, expected.ShapeArray());
        var (expectedGx, expectedGw) = NaiveConvGradients(x, weight, gy, stride, padding, dilation);
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmMicroKernel.IsSupported))
        {
            using var forced = GemmMicroKernel.Force(isa);
            var xl = x.Clone().WithRequiresGrad();
            var wl = weight.Clone().WithRequiresGrad();
            var y = Conv2d(xl, wl, bias, stride, padding, dilation);
            TensorAssert.Close(expected, y, 1e-4, 1e-4);
            y.Backward(gy);
            TensorAssert.Close(expectedGx, xl.Grad!, 1e-4, 1e-4);
            TensorAssert.Close(expectedGw, wl.Grad!, 1e-4, 1e-4);
        }
    }

    [Theory]
    [InlineData(2, 3, 4, 5, 2, 3, 1, 0, 0, 1)]
    [InlineData(2, 4, 5, 5, 3, 4, 2, 1, 0, 1)]
    [InlineData(1, 2, 3, 4, 3, 3, 2, 1, 1, 1)]
    [InlineData(1, 3, 4, 4, 2, 3, 1, 2, 0, 2)]
    [InlineData(3, 32, 4, 4, 16, 4, 2, 1, 0, 1)]
    [InlineData(1, 1100, 2, 2, 2, 3, 2, 0, 0, 1)]
    public void ConvTranspose2d_MatchesNaiveScatter(int n, int cin, int h, int w, int cout, int k, int stride, int padding, int outputPadding, int dilation)
    {
        var x = TensorAssert.Random(5, n, cin, h, w);
        var weight = TensorAssert.Random(6, cin, cout, k, k);
        var bias = TensorAssert.Random(7, cout);
        var y = ConvTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation);
        TensorAssert.Close(NaiveConvTranspose(x, weight, bias, stride, padding, outputPadding, dilation), y, 1e-4, 1e-4);
    }

    [Fact]
    public void Conv2d_StrideTwoPaddingOne_MatchesPyTorch()
    {
        // x = pattern(37, 17, 8, 8) as (1, 2, 5, 5), w = pattern(11, 13, 6, 6) as (3, 2, 3, 3), b = [0.5, -1, 0.25]:
        // y = F.conv2d(x, w, b, stride=2, padding=1); (y * y).sum().backward()
        var x = Pattern(37, 17, 8, 8, 1, 2, 5, 5).WithRequiresGrad();
        var w = Pattern(11, 13, 6, 6, 3, 2, 3, 3).WithRequiresGrad();
        var b = Tensor.FromArray([0.5f, -1f, 0.25f], 3).WithRequiresGrad();
        var y = Conv2d(x, w, b, stride: 2, padding: 1);
        Assert.Equal([1, 3, 3, 3], y.ShapeArray());
        TensorAssert.Close(ConvY, y.Span);
        (y * y).Sum().Backward();
        TensorAssert.Close(ConvGx, x.Grad!.Span, 1e-4);
        TensorAssert.Close(ConvGw, w.Grad!.Span, 1e-4);
        TensorAssert.Close(ConvGb, b.Grad!.Span, 1e-4);
    }

    [Fact]
    public void ConvTranspose2d_StrideTwoOutputPadding_MatchesPyTorch()
    {
        // x = pattern(37, 17, 8, 8) as (1, 3, 3, 3), w = pattern(11, 13, 6, 6) as (3, 2, 3, 3), b = [0.5, -1]:
        // y = F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1); (y * y).sum().backward()
        var x = Pattern(37, 17, 8, 8, 1, 3, 3, 3).WithRequiresGrad();
        var w = Pattern(11, 13, 6, 6, 3, 2, 3, 3).WithRequiresGrad();
        var b = Tensor.FromArray([0.5f, -1f], 2).WithRequiresGrad();
        var y = ConvTranspose2d(x, w, b, stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal([1, 2, 6, 6], y.ShapeArray());
        TensorAssert.Close(ConvTY, y.Span);
        (y * y).Sum().Backward();
        TensorAssert.Close(ConvTGx, x.Grad!.Span, 1e-4);
        TensorAssert.Close(ConvTGw, w.Grad!.Span, 1e-4);
        TensorAssert.Close(ConvTGb, b.Grad!.Span, 1e-4);
    }

    [Theory]
    [InlineData(1, 0, 1, true)]
    [InlineData(1, 1, 1, false)]
    [InlineData(2, 1, 1, true)]
    [InlineData(2, 0, 2, false)]
    [InlineData(3, 2, 1, true)]
    public void Conv2d_FirstOrderGradients_MatchFiniteDifferences(int stride, int padding, int dilation, bool withBias)
    {
        var x = TensorAssert.Random(11, 2, 2, 6, 5);
        var w = TensorAssert.Random(12, 3, 2, 3, 2);
        var b = TensorAssert.Random(13, 3);
        if (withBias)
        {
            GradCheck.First(t => Conv2d(t[0], t[1], t[2], stride, padding, dilation), [x, w, b]);
        }
        else
        {
            GradCheck.First(t => Conv2d(t[0], t[1], null, stride, padding, dilation), [x, w]);
        }
    }

    [Fact]
    public void Conv2d_DeepPatches_GradientsMatchFiniteDifferences()
    {
        // C_in · taps = 36 takes the implicit (packing-time) im2col; the shallower cases above build it explicitly.
        var x = TensorAssert.Random(28, 1, 4, 5, 6);
        var w = TensorAssert.Random(29, 3, 4, 3, 3);
        var b = TensorAssert.Random(30, 3);
        GradCheck.First(t => Conv2d(t[0], t[1], t[2], stride: 2, padding: 1), [x, w, b]);
        GradCheck.First(t => Conv2d(t[0], t[1], t[2], stride: 1, padding: 2, dilation: 2), [x, w, b]);
    }

    [Theory]
    [InlineData(1, 0, 0, 1, true)]
    [InlineData(2, 1, 1, 1, false)]
    [InlineData(2, 0, 0, 2, true)]
    [InlineData(3, 1, 2, 1, false)]
    public void ConvTranspose2d_FirstOrderGradients_MatchFiniteDifferences(int stride, int padding, int outputPadding, int dilation, bool withBias)
    {
        var x = TensorAssert.Random(14, 2, 3, 3, 4);
        var w = TensorAssert.Random(15, 3, 2, 3, 2);
        var b = TensorAssert.Random(16, 2);
        if (withBias)
        {
            GradCheck.First(t => ConvTranspose2d(t[0], t[1], t[2], stride, padding, outputPadding, dilation), [x, w, b]);
        }
        else
        {
            GradCheck.First(t => ConvTranspose2d(t[0], t[1], null, stride, padding, outputPadding, dilation), [x, w]);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(2, 0, 2)]
    public void Conv2d_SecondOrderGradients_MatchFiniteDifferences(int stride, int padding, int dilation)
    {
        var x = TensorAssert.Random(17, 1, 2, 5, 5);
        var w = TensorAssert.Random(18, 2, 2, 3, 3);
        var b = TensorAssert.Random(19, 2);
        GradCheck.Second(t => Conv2d(t[0], t[1], t[2], stride, padding, dilation) * Conv2d(t[0], t[1], t[2], stride, padding, dilation), [x, w, b]);
    }

    [Fact]
    public void ConvTranspose2d_SecondOrderGradients_MatchFiniteDifferences()
    {
        var x = TensorAssert.Random(20, 1, 2, 3, 3);
        var w = TensorAssert.Random(21, 2, 2, 3, 3);
        var b = TensorAssert.Random(22, 2);
        GradCheck.Second(t => ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1) * ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1), [x, w, b]);
    }

    [Fact]
    public void GradientPenalty_ThroughConvCritic_MatchesFiniteDifferences()
    {
        // The WGAN-GP shape: the penalty differentiates ‖∂D/∂x‖² with respect to the critic's weights.
        var x = TensorAssert.Random(23, 2, 1, 6, 6);
        var w1 = TensorAssert.Random(24, 3, 1, 4, 4);
        var w2 = TensorAssert.Random(25, 1, 3, 3, 3);
        GradCheck.Second(t =>
        {
            var h = Conv2d(t[0], t[1], null, stride: 2, padding: 1);
            return Conv2d(h * h, t[2], null);
        }, [x, w1, w2]);
    }

    [Fact]
    public void Conv2d_LargeMultiThreaded_IsBitReproducible()
    {
        var x = TensorAssert.Random(26, 8, 16, 16, 16);
        var w = TensorAssert.Random(27, 32, 16, 3, 3).WithRequiresGrad();
        var xl = x.WithRequiresGrad();
        var first = Conv2d(xl, w, null, 1, 1);
        first.Backward(first);
        var (gx, gw) = (xl.Grad!.ToArray(), w.Grad!.ToArray());
        xl.Grad = null;
        w.Grad = null;
        var second = Conv2d(xl, w, null, 1, 1);
        second.Backward(second);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(gx, xl.Grad!.ToArray());
        Assert.Equal(gw, w.Grad!.ToArray());
    }

    [Fact]
    public void Conv2d_EmptyBatch_GivesEmptyOutputAndGradients()
    {
        var x = Tensor.Zeros(0, 2, 5, 5).WithRequiresGrad();
        var w = TensorAssert.Random(31, 3, 2, 3, 3).WithRequiresGrad();
        var y = Conv2d(x, w, null, stride: 2);
        Assert.Equal([0, 3, 2, 2], y.ShapeArray());
        y.Backward(Tensor.Zeros(0, 3, 2, 2));
        Assert.Equal([0, 2, 5, 5], x.Grad!.ShapeArray());
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ValidSteps_EveryStrideAndOrigin_MatchesBruteForce()
    {
        for (var stride = 1; stride <= 3; stride++)
        {
            for (var origin = -7; origin <= 12; origin++)
            {
                for (var length = 0; length <= 9; length++)
                {
                    var valid = Enumerable.Range(0, length).Where(t => origin + (t * stride) >= 0 && origin + (t * stride) < 8).ToList();
                    var (first, end) = ConvPixelRun.ValidSteps(origin, stride, 8, length);
                    Assert.Equal(valid.Count, end - first);
                    if (valid.Count > 0)
                    {
                        Assert.Equal(valid[0], first);
                    }
                }
            }
        }
    }

    [Fact]
    public void Conv2d_BadShapes_ThrowWithShapes()
    {
        var rank = Assert.Throws<ArgumentException>(() => Conv2d(Tensor.Zeros(3, 4), Tensor.Zeros(1, 1, 1, 1)));
        Assert.Contains("Conv2d expects input of rank 4 (N, C, H, W) but got shape [3, 4]", rank.Message);
        var weightRank = Assert.Throws<ArgumentException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3)));
        Assert.Contains("weight of rank 4 (C_out, C_in, kH, kW)", weightRank.Message);
        var channels = Assert.Throws<ArgumentException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 5, 3, 3)));
        Assert.Contains("has 2 channels but weight [3, 5, 3, 3] expects 5", channels.Message);
        var bias = Assert.Throws<ArgumentException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3, 3), Tensor.Zeros(2)));
        Assert.Contains("bias of shape [3]", bias.Message);
        var fit = Assert.Throws<ArgumentException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 5, 5)));
        Assert.Contains("5×5 kernel", fit.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3, 3), stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3, 3), padding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3, 3), dilation: 0));
    }

    [Fact]
    public void ConvTranspose2d_BadArguments_ThrowWithShapes()
    {
        var channels = Assert.Throws<ArgumentException>(() => ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(3, 2, 3, 3)));
        Assert.Contains("has 2 channels but weight [3, 2, 3, 3] expects 3", channels.Message);
        var bias = Assert.Throws<ArgumentException>(() => ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 3, 3, 3), Tensor.Zeros(2)));
        Assert.Contains("bias of shape [3]", bias.Message);
        var outputPadding = Assert.Throws<ArgumentOutOfRangeException>(() => ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 3, 3, 3), stride: 2, outputPadding: 2));
        Assert.Contains("outputPadding", outputPadding.Message);
        var empty = Assert.Throws<ArgumentException>(() => ConvTranspose2d(Tensor.Zeros(1, 2, 1, 1), Tensor.Zeros(2, 3, 1, 1), padding: 1));
        Assert.Contains("empty", empty.Message);
    }

    /// <summary>Element i is ((i·a) mod m − offset) / scale, reproducible in Python for the PyTorch cases.</summary>
    private static Tensor Pattern(int a, int m, int offset, float scale, params int[] shape)
    {
        var data = new float[shape.Aggregate(1, (p, d) => p * d)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = ((i * a % m) - offset) / scale;
        }

        return Tensor.FromArray(data, shape);
    }

    private static Tensor NaiveConv(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int dilation)
    {
        var (n, cin, h, wd) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (cout, kh, kw) = (w.Shape[0], w.Shape[2], w.Shape[3]);
        var oh = ((h + (2 * padding) - (dilation * (kh - 1)) - 1) / stride) + 1;
        var ow = ((wd + (2 * padding) - (dilation * (kw - 1)) - 1) / stride) + 1;
        var y = new double[n * cout * oh * ow];
        var (xs, ws) = (x.ToArray(), w.ToArray());
        ForEachTap(n, cin, h, wd, cout, kh, kw, oh, ow, stride, padding, dilation, (xi, wi, yi) => y[yi] += (double)xs[xi] * ws[wi]);
        if (bias is not null)
        {
            for (var i = 0; i < y.Length; i++)
            {
                y[i] += bias[i / (oh * ow) % cout];
            }
        }

        return Tensor.FromArray(y.Select(v => (float)v).ToArray(), n, cout, oh, ow);
    }

    private static (Tensor Gx, Tensor Gw) NaiveConvGradients(Tensor x, Tensor w, Tensor gy, int stride, int padding, int dilation)
    {
        var (n, cin, h, wd) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (cout, kh, kw) = (w.Shape[0], w.Shape[2], w.Shape[3]);
        var (xs, ws, gys) = (x.ToArray(), w.ToArray(), gy.ToArray());
        var gx = new double[xs.Length];
        var gw = new double[ws.Length];
        ForEachTap(n, cin, h, wd, cout, kh, kw, gy.Shape[2], gy.Shape[3], stride, padding, dilation, (xi, wi, yi) =>
        {
            gx[xi] += (double)gys[yi] * ws[wi];
            gw[wi] += (double)gys[yi] * xs[xi];
        });
        return (Tensor.FromArray(gx.Select(v => (float)v).ToArray(), x.ShapeArray()), Tensor.FromArray(gw.Select(v => (float)v).ToArray(), w.ShapeArray()));
    }

    private static Tensor NaiveConvTranspose(Tensor x, Tensor w, Tensor bias, int stride, int padding, int outputPadding, int dilation)
    {
        var (n, cin, h, wd) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (cout, kh, kw) = (w.Shape[1], w.Shape[2], w.Shape[3]);
        var oh = ((h - 1) * stride) - (2 * padding) + (dilation * (kh - 1)) + outputPadding + 1;
        var ow = ((wd - 1) * stride) - (2 * padding) + (dilation * (kw - 1)) + outputPadding + 1;
        var y = new double[n * cout * oh * ow];
        var (xs, ws) = (x.ToArray(), w.ToArray());

        // Each input pixel scatters its kernel-weighted copy into the output: the convolution from the output
        // (cout channels, oh × ow) to the input (cin channels, h × wd), with the roles of its two images swapped.
        ForEachTap(n, cout, oh, ow, cin, kh, kw, h, wd, stride, padding, dilation, (yi, wi, xi) => y[yi] += (double)xs[xi] * ws[wi]);
        for (var i = 0; i < y.Length; i++)
        {
            y[i] += bias[i / (oh * ow) % cout];
        }

        return Tensor.FromArray(y.Select(v => (float)v).ToArray(), n, cout, oh, ow);
    }

    /// <summary>
    /// Calls <paramref name="tap"/>(input index, weight index, output index) for every output pixel and kernel tap of
    /// a convolution whose tap reads an input pixel inside the image (flat NCHW / (C_out, C_in, kH, kW) indices).
    /// </summary>
    private static void ForEachTap(
        int n, int cin, int h, int w, int cout, int kh, int kw, int oh, int ow, int stride, int padding, int dilation, Action<int, int, int> tap)
    {
        for (var b = 0; b < n; b++)
        {
            for (var co = 0; co < cout; co++)
            {
                for (var ci = 0; ci < cin; ci++)
                {
                    for (var i = 0; i < oh; i++)
                    {
                        for (var j = 0; j < ow; j++)
                        {
                            for (var p = 0; p < kh; p++)
                            {
                                for (var q = 0; q < kw; q++)
                                {
                                    var ih = (i * stride) - padding + (p * dilation);
                                    var iw = (j * stride) - padding + (q * dilation);
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                    {
                                        tap(
                                            (((((b * cin) + ci) * h) + ih) * w) + iw,
                                            (((((co * cin) + ci) * kh) + p) * kw) + q,
                                            (((((b * cout) + co) * oh) + i) * ow) + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static readonly float[] ConvY =
    [
        1.541667f, 0.4999999f, 1.083333f, 1.416667f, -0.7708334f, 0.3124999f, -0.5416667f, -0.3958333f, 0.5625f,
        -1.4375f, -1.4375f, -0.5833333f, -3.8125f, 0.5625f, -0.7500001f, -0.9166666f, -0.6666667f, -0.8958333f,
        -0.3124999f, 0.7291666f, 1.3125f, 1.291667f, 0.5833333f, -1.770833f, -0.9791667f, 0.9999999f, 1.208333f
    ];

    private static readonly float[] ConvGx =
    [
        -1.993056f, -5.0625f, 0.09027767f, -2.8125f, 1.4375f, 12.95833f, -1.340277f, 0.06249976f, 1.534722f,
        5.458333f, -0.8611116f, -0.7986111f, 1.604167f, 4f, -3.555556f, 8.763889f, 9.715278f, -2.701389f,
        -6.638889f, 3.840277f, -2.0625f, -3.458333f, 1.354166f, -2.027778f, 1.229167f, -1.645833f, 5.472222f,
        0.4375001f, 2.368055f, -1.583333f, -2.006945f, -6.381945f, -1.479167f, 1.645833f, -7.333334f, 0.979167f,
        9.083333f, 0.9791667f, -3.958333f, 0.1250002f, -10.06944f, -5.576389f, 0.6597219f, 1.020833f, 4.166667f,
        2f, 2.694444f, 1.458333f, 0.1388893f, -0.2291667f
    ];

    private static readonly float[] ConvGw =
    [
        -0.02604151f, 3.510417f, -2.604167f, -3.510417f, -0.7135416f, 1.760416f, -2.692708f, 5.1875f, 0.265625f,
        1.145833f, -0.515625f, -0.8124999f, 3.708333f, -3.166667f, 1.104167f, 2.552083f, -4.84375f, -1.052083f,
        -0.6770835f, -6.515625f, 5.989584f, 4.239583f, -3.098959f, -6.359375f, 4.442708f, -4.979167f,
        -3.546875f, -0.9062501f, 5.432292f, 1.427083f, -1.916667f, 1.026042f, 0.2500001f, -1.8125f, 6.760417f,
        1.9375f, -0.588542f, -2.546875f, -5.125f, 0.7968748f, 2.609374f, -0.01041651f, 1.484375f, 0.06770855f,
        1.572917f, -3.052083f, 5.984375f, 2.354167f, -0.5729166f, -7.348958f, 2.708333f, 0.5000001f, -6.463542f,
        0.09375003f
    ];

    private static readonly float[] ConvGb =
    [
        7.416666f, -19.875f, 6.125f
    ];

    private static readonly float[] ConvTY =
    [
        0.2291667f, 1.25f, 0.6041667f, 1.1875f, 0.9791666f, 0.6875f, 0f, -1.166667f, -0.06250018f, -2.104167f,
        0.5833333f, 0.2916667f, 0.6458333f, -0.3541666f, 1.020833f, 1.708333f, -0.375f, -0.375f, 0.1666667f,
        1.333333f, 0.1041667f, 1.104167f, 2.166667f, 0.2916667f, 0.3541667f, 1.229167f, 0.7291667f, -0.25f,
        0.3958333f, 0.6875f, -0.5416666f, -0.06250006f, -0.4791667f, -0.04166675f, 1f, 1.291667f, -0.125f,
        -1.604167f, -0.6875f, -1.916667f, -1.25f, -2.083333f, -0.25f, -1.5f, 0.25f, 1.270833f, -1.375f,
        -1.395833f, -0.75f, -0.4166666f, -1.3125f, -1.4375f, -1.875f, 0.02083325f, -2.291667f, -0.9791667f,
        -1.791667f, -0.3333334f, -0.2291666f, -1.833333f, -0.3125f, -1.708333f, -0.875f, -1.666667f, -0.375f,
        -0.3541667f, -0.3958334f, -0.5625f, -0.4583334f, -2f, -1.9375f, -1.104167f
    ];

    private static readonly float[] ConvTGx =
    [
        -4.888889f, -3.479167f, 7.305555f, 2.451389f, -5.111112f, 17.10417f, -2.416666f, -1.111111f, 5.6875f,
        3.951389f, 9.736112f, 7.416668f, -7.805556f, -8.513888f, -0.06249964f, 3.111111f, 1.208334f, -15.28472f,
        1.868056f, 5.256945f, -2.402778f, 1.618056f, 15.97917f, -15.69444f, -4.722222f, -6.944444f, -0.1458333f
    ];

    private static readonly float[] ConvTGw =
    [
        -6.458333f, 0.0208329f, -5.395833f, -0.6874996f, -2.625f, -5.4375f, 5.848958f, 4.901042f, 6.59375f,
        1.786459f, 3.640625f, 0.9583334f, 2.15625f, -1.53125f, 9.885417f, 0.7395831f, -0.2552081f, 1.583333f,
        0.6666667f, -4.005208f, 5.401042f, 6.546875f, 1.661458f, 1.90625f, -6.677083f, -2.364584f, -8.151042f,
        0.3229166f, -3.760417f, 3.729166f, -4.755208f, -2.109375f, -8.734375f, 4.557292f, 5.109375f, -1.447917f,
        1.859375f, -0.2395836f, -6.822917f, -4.369792f, 2.40625f, 0.4843754f, 0.4531252f, -2.104167f, 6.057292f,
        -4.770833f, 5.21875f, 3.3125f, 1.703125f, 0.765625f, 1.421875f, -0.9218751f, -5.640625f, 3.046875f
    ];

    private static readonly float[] ConvTGb =
    [
        28.45833f, -71.29166f
    ];
}
