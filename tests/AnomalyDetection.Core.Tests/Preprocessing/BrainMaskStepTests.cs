using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Core.Tests.Preprocessing;

public class BrainMaskStepTests
{
    private const int Size = 21;
    private const int Centre = 10;

    [Fact]
    public void Apply_HeadSlice_KeepsTheBrainWithItsDarkLesionAndDropsScalpAndSpeck()
    {
        var head = HeadSlice();

        var stripped = new BrainMaskStep(threshold: 0.2f, erosionRadius: 1, backgroundValue: -5f).Apply(head);

        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var r2 = Distance2(x, y);
                // The brain (radius 6) loses its 1-pixel rim; its dark lesion at the centre is a hole the mask fills,
                // so the lesion keeps its own value.
                var expected = r2 <= 25 ? head[0, y, x] : -5f;
                Assert.True(expected == stripped[0, y, x], $"pixel ({x}, {y}): expected {expected}, got {stripped[0, y, x]}");
            }
        }
    }

    [Fact]
    public void Apply_ImageWithoutForeground_IsAllBackground()
    {
        var dark = ImageData.FromPlanar(4, 4, 1, new float[16]);

        var stripped = new BrainMaskStep(backgroundValue: 3f).Apply(dark);

        Assert.All(stripped.ToPlanarArray(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void Apply_RgbImage_MasksEveryChannelWithOneMask()
    {
        var head = HeadSlice();
        var rgb = ImageData.FromPlanar(Size, Size, 3, [.. head.Pixels, .. head.Pixels, .. head.Pixels]);
        var step = new BrainMaskStep(0.2f, 1);

        var stripped = step.Apply(rgb);
        var mask = step.Mask(head);

        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < Size * Size; i++)
            {
                Assert.Equal(mask[i] ? head.Pixels[i] : 0f, stripped.Channel(c)[i]);
            }
        }
    }

    [Fact]
    public void ApplyToMask_LeavesGroundTruthUnchanged()
    {
        var truth = ImageData.FromPlanar(2, 1, 1, [0f, 1f]);

        Assert.Same(truth, new BrainMaskStep().ApplyToMask(truth));
    }

    [Theory]
    [InlineData(-0.1f, 2, 0f, "threshold")]
    [InlineData(1f, 2, 0f, "threshold")]
    [InlineData(float.NaN, 2, 0f, "threshold")]
    [InlineData(0.1f, -1, 0f, "erosionRadius")]
    [InlineData(0.1f, 65, 0f, "erosionRadius")]
    [InlineData(0.1f, 2, float.PositiveInfinity, "backgroundValue")]
    public void Constructor_OutOfRange_NamesTheParameter(float threshold, int radius, float background, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BrainMaskStep(threshold, radius, background));

        Assert.Equal(parameter, error.ParamName);
    }

    /// <summary>A 21 × 21 slice: a scalp ring (radius 8–9, value 0.9) around a dark skull gap, a brain disc (radius 6,
    /// value 0.5 + a gradient) with a dark lesion (0.05) at its centre, and a bright speck in a corner.</summary>
    private static ImageData HeadSlice()
    {
        var pixels = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var r2 = Distance2(x, y);
                pixels[(y * Size) + x] = r2 switch
                {
                    <= 1 => 0.05f,
                    <= 36 => 0.5f + (0.01f * x),
                    >= 64 and <= 81 => 0.9f,
                    _ => 0f,
                };
            }
        }

        pixels[0] = 1f;
        pixels[1] = 1f;
        return ImageData.FromPlanar(Size, Size, 1, pixels);
    }

    private static int Distance2(int x, int y) => ((x - Centre) * (x - Centre)) + ((y - Centre) * (y - Centre));
}
