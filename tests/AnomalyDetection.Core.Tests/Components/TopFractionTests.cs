using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Components;

public class TopFractionTests
{
    [Theory]
    [InlineData(0.25, 16, 4)]
    [InlineData(0.25, 64, 16)]
    [InlineData(0.1, 4, 1)]
    [InlineData(0.5, 3, 2)]
    [InlineData(1.0, 9, 9)]
    public void Count_Fraction_RoundsHalfUpAndKeepsAtLeastOne(double fraction, int count, int expected)
    {
        Assert.Equal(expected, TopFraction.Count(fraction, count));
    }

    [Theory]
    [InlineData(0.25, 7f, 6.5f)] // the top 2 of 8: (9 + 5) / 2 and (7 + 6) / 2
    [InlineData(1.0, 2.625f, 3.5f)] // every value: 21 / 8 and 28 / 8
    [InlineData(0.01, 9f, 7f)] // rounds to none, so the single highest
    public void Mean_Fraction_AveragesTheHighestValuesOfEachImage(double fraction, float first, float second)
    {
        var maps = TensorData.FromArray([1f, 9f, 0f, 5f, 2f, 3f, 1f, 0f, /* second image */ 7f, 6f, 4f, 1f, 3f, 2f, 5f, 0f], 2, 1, 2, 4);

        var means = TopFraction.Mean(maps, fraction);

        Assert.Equal(first, means[0], 5);
        Assert.Equal(second, means[1], 5);
    }

    [Fact]
    public void Mean_NegativeValues_AveragesTheLeastNegative()
    {
        var means = TopFraction.Mean(TensorData.FromArray([-1f, -2f, -3f, -4f], 1, 1, 2, 2), 0.5);

        Assert.Equal([-1.5f], means);
    }

    [Theory]
    [InlineData(0.25, 7f)] // the top 2 of 8: (9 + 5) / 2
    [InlineData(1.0, 2.625f)] // every value: 21 / 8
    [InlineData(0.01, 9f)]
    public void Mean_OneMap_AgreesWithTheBatchOverload(double fraction, float expected)
    {
        float[] map = [1f, 9f, 0f, 5f, 2f, 3f, 1f, 0f];

        Assert.Equal(expected, TopFraction.Mean(map, fraction), 5);
        Assert.Equal(TopFraction.Mean(TensorData.FromArray(map, 1, 1, 2, 4), fraction)[0], TopFraction.Mean(map, fraction), 5);
    }

    [Fact]
    public void Mean_OneMapWithNaN_IsNaN_SoItIsNeverCalledNormal()
    {
        Assert.True(float.IsNaN(TopFraction.Mean([0f, 1f, float.NaN, 2f], 0.25)));
    }

    [Fact]
    public void Mean_EmptyMap_Throws()
    {
        Assert.Throws<ArgumentException>(() => TopFraction.Mean(ReadOnlySpan<float>.Empty, 0.5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Mean_FractionOutOfRange_Throws(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TopFraction.Mean(torch.ones(1, 1, 2, 2), fraction));
        var oneMap = Assert.Throws<ArgumentOutOfRangeException>(() => TopFraction.Mean([1f, 2f], fraction));

        Assert.Contains("(0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("(0, 1]", oneMap.Message, StringComparison.Ordinal);
    }
}
