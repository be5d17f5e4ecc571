using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class PatchMasksTests
{
    [Theory]
    [InlineData(8, 8, 4)]
    [InlineData(4, 4, 2)]
    [InlineData(6, 6, 9)]
    [InlineData(8, 8, 6)]
    [InlineData(3, 5, 3)]
    [InlineData(2, 2, 4)]
    public void Complementary_AnyValidCount_HidesEveryPatchExactlyOnce(int rows, int columns, int count)
    {
        var masks = PatchMasks.Complementary(rows, columns, count);

        Assert.Equal([count, 1L, rows, columns], masks.shape);
        Assert.All(TestTensors.Values(masks), v => Assert.True(v is 0f or 1f));
        var coverage = masks.sum(dim: 0);
        Assert.All(TestTensors.Values(coverage), v => Assert.Equal(1f, v));
        for (var k = 0; k < count; k++)
        {
            Assert.True(masks[k].sum().item<float>() > 0, $"mask {k} hides nothing");
        }
    }

    [Fact]
    public void Complementary_FourMasks_AreTheInterleavedCheckerboardsOfA2x2Block()
    {
        var masks = PatchMasks.Complementary(4, 4, 4);

        // Mask (r mod 2)·2 + (c mod 2) hides patch (r, c).
        float[] first =
        [
            1, 0, 1, 0,
            0, 0, 0, 0,
            1, 0, 1, 0,
            0, 0, 0, 0,
        ];
        float[] last =
        [
            0, 0, 0, 0,
            0, 1, 0, 1,
            0, 0, 0, 0,
            0, 1, 0, 1,
        ];
        Assert.Equal(first, TestTensors.Values(masks[0]));
        Assert.Equal(last, TestTensors.Values(masks[3]));
    }

    [Fact]
    public void Complementary_FourMasks_NoTwoHiddenPatchesShareAnEdge()
    {
        var masks = TestTensors.Values(PatchMasks.Complementary(8, 8, 4));
        float At(int k, int r, int c) => masks[(k * 64) + (r * 8) + c];

        for (var k = 0; k < 4; k++)
        {
            for (var r = 0; r < 8; r++)
            {
                for (var c = 0; c < 8; c++)
                {
                    if (At(k, r, c) == 0)
                    {
                        continue;
                    }

                    Assert.True(c + 1 == 8 || At(k, r, c + 1) == 0, $"mask {k}: ({r}, {c}) and its right neighbour");
                    Assert.True(r + 1 == 8 || At(k, r + 1, c) == 0, $"mask {k}: ({r}, {c}) and its lower neighbour");
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 2, 2)]
    [InlineData(6, 2, 3)]
    [InlineData(7, 1, 7)]
    [InlineData(12, 3, 4)]
    public void Tile_Count_GivesTheSquarestBlock(int count, int rows, int columns)
    {
        Assert.Equal((rows, columns), PatchMasks.Tile(count));
    }

    [Fact]
    public void Complementary_BlockLargerThanGrid_ThrowsNamingTheBlock()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PatchMasks.Complementary(2, 2, 3));

        Assert.Contains("1×3 blocks", error.Message, StringComparison.Ordinal);
        Assert.Contains("2×2 grid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complementary_OneMask_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchMasks.Complementary(4, 4, 1));
    }

    [Fact]
    public void Random_RatioRange_HidesBetweenTheRoundedBoundsPerImage()
    {
        var masks = PatchMasks.Random(new RandomSource(3), 200, 8, 8, 0.25, 0.5);

        var counts = TestTensors.Values(masks.sum([1L, 2, 3]));
        Assert.All(counts, c => Assert.InRange(c, 16f, 32f));
        Assert.True(counts.Distinct().Count() > 5, "the ratio should vary between images");
        Assert.All(TestTensors.Values(masks), v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void Random_FixedRatio_HidesExactlyThatManyPatchesEverywhereOverTime()
    {
        var masks = PatchMasks.Random(new RandomSource(5), 400, 4, 4, 0.25, 0.25);

        Assert.All(TestTensors.Values(masks.sum([1L, 2, 3])), c => Assert.Equal(4f, c));

        // Every patch is chosen about a quarter of the time: 100 of 400 draws, give or take sampling noise.
        Assert.All(TestTensors.Values(masks.sum(dim: 0)), c => Assert.InRange(c, 70f, 130f));
    }

    [Fact]
    public void Random_SameSeed_SameMasks_OtherSeed_OtherMasks()
    {
        var a = PatchMasks.Random(new RandomSource(9), 4, 8, 8, 0.25, 0.5);
        var b = PatchMasks.Random(new RandomSource(9), 4, 8, 8, 0.25, 0.5);
        var c = PatchMasks.Random(new RandomSource(10), 4, 8, 8, 0.25, 0.5);

        Assert.Equal(TestTensors.Values(a), TestTensors.Values(b));
        Assert.NotEqual(TestTensors.Values(a), TestTensors.Values(c));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.25)]
    [InlineData(0.5, 1.5)]
    [InlineData(double.NaN, 0.5)]
    public void Random_InvalidRatios_Throw(double min, double max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchMasks.Random(new RandomSource(1), 1, 4, 4, min, max));
    }
}
