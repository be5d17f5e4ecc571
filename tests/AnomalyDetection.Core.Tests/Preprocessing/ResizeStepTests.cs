using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Core.Tests.Preprocessing;

public class ResizeStepTests
{
    // src = (((np.arange(35) * 37) % 23) / 8.0).astype(np.float32).reshape(5, 7)   (7 wide, 5 high)
    private static readonly ImageData Source = ImageData.FromPlanar(7, 5, 1, [.. Enumerable.Range(0, 35).Select(i => i * 37 % 23 / 8f)]);

    [Fact]
    public void Bilinear_Shrink_MatchesPillowAndAntialiasedTorch()
    {
        // np.array(Image.fromarray(src, "F").resize((3, 2), Image.BILINEAR)); torch's
        // F.interpolate(..., size=(2, 3), mode="bilinear", align_corners=False, antialias=True) agrees to 2.4e-7.
        float[] expected = [1.2698863744735718f, 1.3646390438079834f, 1.4330357313156128f, 1.1830357313156128f, 1.3963903188705444f, 1.4208604097366333f];

        var resized = new ResizeStep(3, 2).Apply(Source);

        AssertClose(expected, resized.Pixels, 1e-6f);
    }

    [Fact]
    public void Bilinear_ShrinkByNonIntegerFactor_MatchesPillow()
    {
        // np.array(Image.fromarray(src, "F").resize((4, 3), Image.BILINEAR))
        float[] expected =
        [
            1.101190447807312f, 1.316428542137146f, 1.316428542137146f, 1.4166666269302368f,
            1.2910053730010986f, 1.255555510520935f, 1.7027778625488281f, 1.3935185670852661f,
            1.2287415266036987f, 1.1435714960098267f, 1.3899999856948853f, 1.4268707036972046f,
        ];

        var resized = new ResizeStep(4, 3).Apply(Source);

        Assert.Equal((4, 3), (resized.Width, resized.Height));
        AssertClose(expected, resized.Pixels, 1e-6f);
    }

    [Fact]
    public void Bilinear_Enlarge_MatchesPillowAndTorchAlignCornersFalse()
    {
        // small = [[0, .5, 1], [.25, .75, .125]]; Image.fromarray(small, "F").resize((7, 5), Image.BILINEAR), equal
        // to F.interpolate(..., size=(5, 7), mode="bilinear", align_corners=False) within 6e-8.
        var small = ImageData.FromPlanar(3, 2, 1, [0f, 0.5f, 1f, 0.25f, 0.75f, 0.125f]);
        float[] expected =
        [
            0f, 0.071428575f, 0.2857143f, 0.5f, 0.71428573f, 0.9285714f, 1f,
            0.025f, 0.09642857f, 0.3107143f, 0.525f, 0.69107145f, 0.8571428f, 0.9125f,
            0.125f, 0.19642857f, 0.41071427f, 0.625f, 0.59821427f, 0.57142854f, 0.5625f,
            0.225f, 0.29642856f, 0.5107143f, 0.725f, 0.50535715f, 0.2857143f, 0.2125f,
            0.25f, 0.32142857f, 0.53571427f, 0.75f, 0.48214287f, 0.21428572f, 0.125f,
        ];

        var resized = new ResizeStep(7, 5).Apply(small);

        AssertClose(expected, resized.Pixels, 1e-6f);
    }

    [Fact]
    public void Area_WholeFactor_MatchesTorchArea()
    {
        // F.interpolate(torch.arange(24.).reshape(1, 1, 4, 6), size=(2, 3), mode="area") -> [3.5, 5.5, 7.5, 15.5, 17.5, 19.5]
        var image = ImageData.FromPlanar(6, 4, 1, [.. Enumerable.Range(0, 24).Select(i => (float)i)]);

        var resized = new ResizeStep(3, 2, ResizeMethod.Area).Apply(image);

        Assert.Equal([3.5f, 5.5f, 7.5f, 15.5f, 17.5f, 19.5f], resized.Pixels.ToArray());
    }

    [Fact]
    public void Area_FractionalFactor_WeighsPartlyCoveredPixels()
    {
        // 5 → 3: each output covers 5/3 inputs. Output 0 = (0·1 + 1·2/3) / (5/3) = 0.4; output 1 = (1·1/3 + 2 + 3·1/3)
        // / (5/3) = 2; output 2 = (3·2/3 + 4) / (5/3) = 3.6.
        var image = ImageData.FromPlanar(5, 1, 1, [0, 1, 2, 3, 4]);

        var resized = new ResizeStep(3, 1, ResizeMethod.Area).Apply(image);

        AssertClose([0.4f, 2f, 3.6f], resized.Pixels, 1e-6f);
    }

    [Theory]
    [InlineData(ResizeMethod.Bilinear, 13, 3)]
    [InlineData(ResizeMethod.Bilinear, 2, 9)]
    [InlineData(ResizeMethod.Area, 4, 11)]
    [InlineData(ResizeMethod.Area, 3, 2)]
    public void Resize_ConstantImage_StaysConstantInEveryChannel(ResizeMethod method, int width, int height)
    {
        var image = ImageData.FromPlanar(7, 5, 2, [.. Enumerable.Repeat(0.3f, 35), .. Enumerable.Repeat(0.8f, 35)]);

        var resized = new ResizeStep(width, height, method).Apply(image);

        Assert.Equal((width, height, 2), (resized.Width, resized.Height, resized.Channels));
        AssertClose([.. Enumerable.Repeat(0.3f, width * height), .. Enumerable.Repeat(0.8f, width * height)], resized.Pixels, 1e-6f);
    }

    [Fact]
    public void ApplyToMask_KeepsPixelsAtLeastHalfCovered()
    {
        // Area 4 → 2 averages pairs: (1, 0) → 0.5 → 1, (0, 0) → 0.
        var mask = ImageData.FromPlanar(4, 1, 1, [1, 0, 0, 0]);

        var resized = new ResizeStep(2, 1, ResizeMethod.Area).ApplyToMask(mask);

        Assert.Equal([1f, 0f], resized.Pixels.ToArray());
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeStep(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeStep(4, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeStep(4, 4, (ResizeMethod)7));
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"Element {i}: expected {expected[i]}, got {actual[i]}.");
        }
    }
}
