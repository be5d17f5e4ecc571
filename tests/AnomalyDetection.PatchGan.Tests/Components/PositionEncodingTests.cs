using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PositionEncodingTests
{
    [Fact]
    public void SinusoidalEncode_EightChannels_MatchesTheFormulaAtAPixel()
    {
        var encoding = new SinusoidalPositionEncoding2d(8);

        var code = encoding.Encode(4, 6);

        // Four channels per axis: frequencies 1 and 10000^(−2/4) = 0.01. Pixel (y = 3, x = 5).
        Assert.Equal([1, 8, 4, 6], code.ShapeArray());
        float[] expected =
        [
            MathF.Sin(3f), MathF.Cos(3f), MathF.Sin(0.03f), MathF.Cos(0.03f),
            MathF.Sin(5f), MathF.Cos(5f), MathF.Sin(0.05f), MathF.Cos(0.05f),
        ];
        var actual = Enumerable.Range(0, 8).Select(c => code[0, c, 3, 5]).ToArray();
        TensorAssert.Close(expected, actual, absolute: 1e-6);
    }

    [Fact]
    public void SinusoidalEncode_RowChannelsVaryOnlyDownAndColumnChannelsOnlyAcross()
    {
        var code = new SinusoidalPositionEncoding2d(4).Encode(3, 5);

        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 5; x++)
            {
                Assert.Equal(code[0, 0, y, 0], code[0, 0, y, x]);
                Assert.Equal(code[0, 2, 0, x], code[0, 2, y, x]);
            }
        }

        Assert.Equal(0f, code[0, 0, 0, 0]);
        Assert.Equal(1f, code[0, 1, 0, 0]);
    }

    [Fact]
    public void SinusoidalForward_Batch_AppendsTheCodeAfterTheInputChannels()
    {
        var encoding = new SinusoidalPositionEncoding2d(4);
        var input = TensorAssert.Random(3, 2, 3, 4, 5);

        var output = encoding.Forward(input);

        Assert.Equal([2, 7, 4, 5], output.ShapeArray());
        Assert.Equal(input.Span.ToArray(), output.Slice(1, 0, 3).Span.ToArray());
        var code = encoding.Encode(4, 5);
        Assert.Equal(code.Span.ToArray(), output.Slice(0, 1, 1).Slice(1, 3, 4).Span.ToArray());
        Assert.Equal(code.Span.ToArray(), output.Slice(0, 0, 1).Slice(1, 3, 4).Span.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-4)]
    public void SinusoidalConstructor_ChannelsNotAPositiveMultipleOf4_Throws(int channels)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SinusoidalPositionEncoding2d(channels));

        Assert.Contains("multiple of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CoordinateEncode_WithRadius_RunsFromMinusOneToOne()
    {
        var code = new CoordinateChannels(withRadius: true).Encode(3, 5);

        Assert.Equal([1, 3, 3, 5], code.ShapeArray());
        Assert.Equal([-1f, 0f, 1f], Enumerable.Range(0, 3).Select(y => code[0, 0, y, 2]).ToArray());
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f], Enumerable.Range(0, 5).Select(x => code[0, 1, 1, x]).ToArray());
        Assert.Equal(MathF.Sqrt(2f), code[0, 2, 0, 0]);
        Assert.Equal(0.5f, code[0, 2, 1, 1]);
        Assert.Equal(0f, code[0, 2, 1, 2]);
    }

    [Fact]
    public void CoordinateEncode_SingleRow_GivesRowCoordinateZero()
    {
        var code = new CoordinateChannels().Encode(1, 2);

        Assert.Equal([0f, 0f, -1f, 1f], code.Span.ToArray());
    }

    [Fact]
    public void CoordinateForward_Batch_AppendsTwoChannelsToEveryImage()
    {
        var input = TensorAssert.Random(4, 2, 1, 2, 3);

        var output = new CoordinateChannels().Forward(input);

        Assert.Equal([2, 3, 2, 3], output.ShapeArray());
        Assert.Equal(input.Slice(0, 1, 1).Span.ToArray(), output.Slice(0, 1, 1).Slice(1, 0, 1).Span.ToArray());
        Assert.Equal(new CoordinateChannels().Encode(2, 3).Span.ToArray(), output.Slice(0, 1, 1).Slice(1, 1, 2).Span.ToArray());
    }

    [Fact]
    public void Forward_Encodings_PassGradientsToTheirInput()
    {
        GradCheck.First(x => new CoordinateChannels(true).Forward(x[0]), [TensorAssert.Random(5, 1, 2, 3, 3)]);
        GradCheck.First(x => new SinusoidalPositionEncoding2d(4).Forward(x[0]), [TensorAssert.Random(6, 2, 1, 2, 3)]);
    }
}
