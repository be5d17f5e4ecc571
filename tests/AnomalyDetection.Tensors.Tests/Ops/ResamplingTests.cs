using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

// Reference values come from PyTorch 1.13 with
//   xs = torch.tensor([((i*5) % 13 - 6) * 0.3 for i in range(12)], dtype=torch.float32).reshape(1,1,3,4)
//   F.interpolate(xs, size=(h, w), mode=..., align_corners=...)
public class ResamplingTests
{
    private static Tensor X
    {
        get
        {
            var values = new float[12];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((((i * 5) % 13) - 6) * 0.3);
            }

            return Tensor.FromArray(values, 1, 1, 3, 4);
        }
    }

    [Fact]
    public void UpsampleNearest2d_UpAndDown_MatchesPyTorch()
    {
        // mode='nearest', size=(5,7) and size=(2,3)
        Assert.Equal(
            [
                -1.79999995f, -1.79999995f, -0.300000012f, -0.300000012f, 1.20000005f, 1.20000005f, -1.20000005f,
                -1.79999995f, -1.79999995f, -0.300000012f, -0.300000012f, 1.20000005f, 1.20000005f, -1.20000005f,
                0.300000012f, 0.300000012f, 1.79999995f, 1.79999995f, -0.600000024f, -0.600000024f, 0.899999976f,
                0.300000012f, 0.300000012f, 1.79999995f, 1.79999995f, -0.600000024f, -0.600000024f, 0.899999976f,
                -1.5f, -1.5f, 0f, 0f, 1.5f, 1.5f, -0.899999976f,
            ],
            Functional.UpsampleNearest2d(X, 5, 7).ToArray());
        Assert.Equal([-1.79999995f, -0.300000012f, 1.20000005f, 0.300000012f, 1.79999995f, -0.600000024f], Functional.UpsampleNearest2d(X, 2, 3).ToArray());
    }

    [Fact]
    public void UpsampleBilinear2d_Upsampling_MatchesPyTorchBothCornerModes()
    {
        // mode='bilinear', size=(5,7), align_corners=False
        TensorAssert.Close(
            [
                -1.79999995f, -1.26428556f, -0.407142818f, 0.450000197f, 1.02857125f, -0.342857569f, -1.20000005f,
                -0.959999919f, -0.424285591f, 0.432857215f, 0.50999999f, 0.419999897f, -0.0600001141f, -0.359999955f,
                0.299999893f, 0.835714221f, 1.69285703f, 0.599999726f, -0.49285689f, 0.364285916f, 0.899999857f,
                -0.78000015f, -0.244285762f, 0.612857044f, 0.689999998f, 0.600000024f, 0.119999826f, -0.180000126f,
                -1.5f, -0.964285553f, -0.107142806f, 0.750000179f, 1.3285712f, -0.0428575389f, -0.899999976f,
            ],
            Functional.UpsampleBilinear2d(X, 5, 7).Span,
            3e-7,
            0);

        // mode='bilinear', size=(5,7), align_corners=True
        TensorAssert.Close(
            [
                -1.79999995f, -1.04999995f, -0.300000012f, 0.450000018f, 1.20000005f, 0f, -1.20000005f,
                -0.75f, 0f, 0.75f, 0.524999976f, 0.300000012f, 0.0749999881f, -0.150000036f,
                0.300000012f, 1.04999995f, 1.79999995f, 0.599999964f, -0.600000024f, 0.149999976f, 0.899999976f,
                -0.600000024f, 0.149999991f, 0.899999976f, 0.674999952f, 0.449999988f, 0.224999994f, 0f,
                -1.5f, -0.75f, 0f, 0.75f, 1.5f, 0.300000012f, -0.899999976f,
            ],
            Functional.UpsampleBilinear2d(X, 5, 7, alignCorners: true).Span,
            3e-7,
            0);
    }

    [Fact]
    public void UpsampleBilinear2d_Downsampling_MatchesPyTorchBothCornerModes()
    {
        // mode='bilinear', size=(2,3), align_corners=False / True; size=(1,1), align_corners=True
        TensorAssert.Close(
            [-1.02499998f, 0.487500072f, -0.437500149f, -0.800000012f, 0.712500036f, -0.212500125f],
            Functional.UpsampleBilinear2d(X, 2, 3).Span,
            3e-7,
            0);
        TensorAssert.Close(
            [-1.79999995f, 0.450000018f, -1.20000005f, -1.5f, 0.75f, -0.899999976f],
            Functional.UpsampleBilinear2d(X, 2, 3, alignCorners: true).Span,
            3e-7,
            0);
        Assert.Equal([-1.79999995f], Functional.UpsampleBilinear2d(X, 1, 1, alignCorners: true).ToArray());
    }

    [Fact]
    public void UpsampleBilinear2d_InterpolationWeights_MatchPyTorchBitForBit()
    {
        // A one-hot row resampled shows the weights themselves. PyTorch forms the source position in double from a
        // float32 ratio, which moves some weights by an ulp and, at 64 → 28 with aligned corners, even moves a tap.
        //   x = torch.zeros(1,1,1,4); x[...,2] = 1; F.interpolate(x, size=(1,6), mode='bilinear', align_corners=False)
        var row = Tensor.Zeros(1, 1, 1, 4);
        row[0, 0, 0, 2] = 1f;
        Assert.Equal([0f, 0, 0.166666716f, 0.833333373f, 0.499999881f, 0], Functional.UpsampleBilinear2d(row, 1, 6).ToArray());

        //   x = torch.zeros(1,1,1,64); x[...,55] = 1; F.interpolate(x, size=(1,28), mode='bilinear', align_corners=True)
        var wide = Tensor.Zeros(1, 1, 1, 64);
        wide[0, 0, 0, 55] = 1f;
        var expected = new float[28];
        expected[24] = 1.90734863e-06f;
        Assert.Equal(expected, Functional.UpsampleBilinear2d(wide, 1, 28, alignCorners: true).ToArray());
    }

    [Fact]
    public void SameSize_ReturnsInputValues()
    {
        var x = TensorAssert.Random(1, 2, 3, 4, 5);
        Assert.Equal(x.ToArray(), Functional.UpsampleNearest2d(x, 4, 5).ToArray());
        Assert.Equal(x.ToArray(), Functional.UpsampleBilinear2d(x, 4, 5).ToArray());
        Assert.Equal(x.ToArray(), Functional.UpsampleBilinear2d(x, 4, 5, alignCorners: true).ToArray());
    }

    [Theory]
    [InlineData(7, 9, false)]
    [InlineData(7, 9, true)]
    [InlineData(2, 3, false)]
    [InlineData(2, 3, true)]
    [InlineData(1, 8, false)]
    public void Gradients_MatchFiniteDifferences(int height, int width, bool alignCorners)
    {
        var x = TensorAssert.Random(2, 2, 2, 3, 5);
        GradCheck.First(t => Functional.UpsampleBilinear2d(t[0], height, width, alignCorners), [x]);
        GradCheck.First(t => Functional.UpsampleNearest2d(t[0], height, width), [x]);
        GradCheck.Second(t => Square(Functional.UpsampleBilinear2d(t[0], height, width, alignCorners)), [x]);
        GradCheck.Second(t => Square(Functional.UpsampleNearest2d(t[0], height, width)), [x]);
    }

    [Fact]
    public void LargeBatch_MatchesSampleBySample()
    {
        // 2 × 65,536 input elements: the kernels split the planes between threads; each sample alone runs on one.
        var x = TensorAssert.Random(3, 64, 8, 16, 16).WithRequiresGrad();
        var y = Functional.UpsampleBilinear2d(x, 24, 20);
        var weights = TensorAssert.Random(4, y.ShapeArray());
        (y * weights).Sum().Backward();
        foreach (var n in new[] { 0, 31, 63 })
        {
            var sample = x.Detach().Slice(0, n, 1).WithRequiresGrad();
            var ySample = Functional.UpsampleBilinear2d(sample, 24, 20);
            (ySample * weights.Slice(0, n, 1)).Sum().Backward();
            Assert.Equal(ySample.ToArray(), y.Detach().Slice(0, n, 1).ToArray());
            Assert.Equal(sample.Grad!.ToArray(), x.Grad!.Slice(0, n, 1).ToArray());
        }
    }

    [Fact]
    public void BadArguments_ThrowClearErrors()
    {
        var rank = Assert.Throws<ArgumentException>(() => Functional.UpsampleBilinear2d(Tensor.Zeros(3, 4, 4), 8, 8));
        Assert.Contains("[3, 4, 4]", rank.Message);
        Assert.Throws<ArgumentException>(() => Functional.UpsampleNearest2d(Tensor.Zeros(1, 1, 0, 4), 8, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.UpsampleNearest2d(Tensor.Zeros(1, 1, 4, 4), 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.UpsampleBilinear2d(Tensor.Zeros(1, 1, 4, 4), 8, -1));
    }

    private static Tensor Square(Tensor x) => x * x;
}
