using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Sagan.Tests.Components;

public class WindowPositionCodeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(9, 4)]
    [InlineData(16, 5)]
    public void BitCount_IsFloorLog2PlusOne(int windows, int bits) => Assert.Equal(bits, WindowPositionCode.BitCount(windows));

    [Fact]
    public void Codes_FourWindows_AreTheIndexInThreeBitsMostSignificantFirst()
    {
        var codes = WindowPositionCode.Codes(batch: 2);

        Assert.Equal([8L, 3], codes.shape);
        float[] expected = [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1];
        Assert.Equal(expected, TensorData.ToArray(codes));
    }

    [Fact]
    public void PositionCodeFusion_DifferentCodes_GiveDifferentFeatures()
    {
        using var fusion = new PositionCodeFusion(channels: 2, bits: 3, random: new RandomSource(5));
        var features = RandomTensors.Uniform(6, -1f, 1f, 1, 2, 4, 4);
        var batch = torch.cat([features, features, features, features], 0);

        var fused = fusion.forward(batch, WindowPositionCode.Codes(1));

        Assert.Equal([4L, 2, 4, 4], fused.shape);
        var windows = Enumerable.Range(0, 4).Select(i => TensorData.ToArray(fused[i])).ToList();
        for (var a = 0; a < 4; a++)
        {
            for (var b = a + 1; b < 4; b++)
            {
                Assert.NotEqual(windows[a], windows[b]);
            }
        }
    }

    [Fact]
    public void PositionCodeFusion_CodesOfWrongWidth_ThrowsNamingBothShapes()
    {
        using var fusion = new PositionCodeFusion(channels: 2, bits: 3, random: new RandomSource(5));

        var error = Assert.Throws<ArgumentException>(() => fusion.forward(torch.zeros(4, 2, 4, 4), torch.zeros(4, 2)));

        Assert.Contains("[4, 2, 4, 4] and [4, 2]", error.Message, StringComparison.Ordinal);
    }
}
