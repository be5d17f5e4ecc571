using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Sagan.Tests;

public class PseudoAnomalySynthesizerTests
{
    [Theory]
    [InlineData(64, 12, 50, 3, 12)] // The reference: numpy randint(12.8, 51.2) and randint(3, 13).
    [InlineData(32, 6, 24, 2, 5)]   // randint(6.4, 25.6); round(1.6) = 2, round(6.4) = 6.
    [InlineData(50, 10, 39, 2, 9)]  // round(2.5) = 2 (half to even, as Python); round(10.0) = 10.
    public void Ranges_FollowTheReferenceFormulas(int size, int centreMin, int centreMax, int halfMin, int halfMax)
    {
        var synthesizer = new PseudoAnomalySynthesizer(size);

        Assert.Equal((centreMin, centreMax, halfMin, halfMax), (synthesizer.CentreMin, synthesizer.CentreMax, synthesizer.HalfWidthMin, synthesizer.HalfWidthMax));
    }

    [Fact]
    public void SampleRegion_ManyDraws_CoverExactlyTheReferenceRangesAt64()
    {
        var synthesizer = new PseudoAnomalySynthesizer(64);
        var random = new RandomSource(21);
        var centres = new HashSet<int>();
        var halves = new HashSet<int>();
        for (var i = 0; i < 20_000; i++)
        {
            var r = synthesizer.SampleRegion(random);

            // At 64 pixels no square reaches the border, so the centre and half-width are recoverable.
            Assert.Equal(r.Bottom - r.Top, r.Right - r.Left);
            Assert.InRange(r.Bottom - r.Top, 6, 24);
            Assert.InRange(r.Opacity, 0f, 0.99999994f);
            centres.Add((r.Top + r.Bottom) / 2);
            centres.Add((r.Left + r.Right) / 2);
            halves.Add((r.Bottom - r.Top) / 2);
        }

        Assert.Equal(Enumerable.Range(12, 39), centres.Order());
        Assert.Equal(Enumerable.Range(3, 10), halves.Order());
    }

    [Fact]
    public void Blend_MixesTheSourceInsideTheRegionOnly()
    {
        var synthesizer = new PseudoAnomalySynthesizer(16);
        var targets = torch.full(2, 2, 16, 16, 0.2f);
        var sources = torch.full(2, 2, 16, 16, -0.6f);
        PseudoAnomalyRegion[] regions = [new(1, 2, 4, 5, 0.25f), new(10, 0, 16, 3, 1f)];

        var blended = TensorData.ToArray(synthesizer.Blend(targets, sources, regions));

        for (var b = 0; b < 2; b++)
        {
            var region = regions[b];
            var inside = ((1 - region.Opacity) * 0.2f) + (region.Opacity * -0.6f);
            for (var c = 0; c < 2; c++)
            {
                for (var y = 0; y < 16; y++)
                {
                    for (var x = 0; x < 16; x++)
                    {
                        var isInside = y >= region.Top && y < region.Bottom && x >= region.Left && x < region.Right;
                        Assert.Equal(isInside ? inside : 0.2f, blended[(((b * 2) + c) * 16 * 16) + (y * 16) + x], 6);
                    }
                }
            }
        }

        Assert.All(TensorData.ToArray(targets), v => Assert.Equal(0.2f, v));
    }

    [Fact]
    public void Synthesize_SameSeed_GivesTheSameImages()
    {
        var synthesizer = new PseudoAnomalySynthesizer(32);
        var targets = RandomTensors.Uniform(1, -1f, 1f, 3, 1, 32, 32);
        var sources = RandomTensors.Uniform(2, -1f, 1f, 3, 1, 32, 32);

        var first = synthesizer.Synthesize(targets, sources, new RandomSource(9));
        var second = synthesizer.Synthesize(targets, sources, new RandomSource(9));

        TensorAssert.BitEqual(first, second);
        Assert.NotEqual(TensorData.ToArray(targets), TensorData.ToArray(first));
    }

    [Fact]
    public void Blend_WrongRegionCount_ThrowsWithCounts()
    {
        var synthesizer = new PseudoAnomalySynthesizer(16);

        var error = Assert.Throws<ArgumentException>(() => synthesizer.Blend(torch.zeros(2, 1, 16, 16), torch.zeros(2, 1, 16, 16), [new(0, 0, 1, 1, 0.5f)]));

        Assert.Contains("2 images but 1 regions", error.Message, StringComparison.Ordinal);
    }
}
