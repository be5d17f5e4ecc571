using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Core.Tests.Preprocessing;

public class IntensityStepTests
{
    [Fact]
    public void ConvertToGray_Rgb_UsesBt601LumaLikePillow()
    {
        // Image.fromarray(np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 200, 77]]], np.uint8)).convert("L")
        // -> [76, 150, 29, 129]
        var rgb = ImageData.FromInterleaved(4, 1, 3, [.. new[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 77 }.Select(v => v / 255f)], 8);

        var gray = new ConvertChannelsStep(1).Apply(rgb);

        Assert.Equal(1, gray.Channels);
        ResizeStepTests.AssertClose([0.299f, 0.587f, 0.114f, ((0.299f * 10) + (0.587f * 200) + (0.114f * 77)) / 255], gray.Pixels, 1e-6f);
        Assert.Equal(new[] { 76, 150, 29, 129 }, gray.Pixels.ToArray().Select(v => (int)MathF.Round(v * 255)));
        Assert.Equal(8, gray.SourceBitDepth);
    }

    [Fact]
    public void ConvertChannels_GrayAndAlphaLayouts_CopyOrDrop()
    {
        var gray = ImageData.FromPlanar(2, 1, 1, [0.2f, 0.4f]);
        var grayAlpha = ImageData.FromPlanar(2, 1, 2, [0.2f, 0.4f, 1f, 0f]);
        var rgba = ImageData.FromPlanar(1, 1, 4, [0.1f, 0.2f, 0.3f, 0.5f]);

        Assert.Equal([0.2f, 0.4f, 0.2f, 0.4f, 0.2f, 0.4f], new ConvertChannelsStep(3).Apply(gray).Pixels.ToArray());
        Assert.Equal([0.2f, 0.4f], new ConvertChannelsStep(1).Apply(grayAlpha).Pixels.ToArray());
        Assert.Equal([0.1f, 0.2f, 0.3f], new ConvertChannelsStep(3).Apply(rgba).Pixels.ToArray());
        Assert.Same(gray, new ConvertChannelsStep(1).Apply(gray));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvertChannelsStep(2));
    }

    [Fact]
    public void RescaleIntensity_Default_MapsUnitRangeToMinusOneOne()
    {
        var image = ImageData.FromPlanar(4, 1, 1, [0f, 0.25f, 1f, 1.5f]);

        Assert.Equal([-1f, -0.5f, 1f, 2f], new RescaleIntensityStep().Apply(image).Pixels.ToArray());
        Assert.Equal([-1f, -0.5f, 1f, 1f], new RescaleIntensityStep(clip: true).Apply(image).Pixels.ToArray());
        Assert.Equal([100f, 75f, 0f, -50f], new RescaleIntensityStep(0, 1, 100, 0).Apply(image).Pixels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RescaleIntensityStep(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RescaleIntensityStep(0, float.NaN));
    }

    [Fact]
    public void ForegroundZScore_MatchesHandComputedValues()
    {
        // fg = np.array([1, 2, 3, 6.]); z = (fg - fg.mean()) / fg.std()  (population std, sqrt(3.5))
        // -> [-1.0690450, -0.5345225, 0, 1.6035675]; divided by 3 -> [-0.3563483, -0.1781742, 0, 0.5345225]
        var image = ImageData.FromPlanar(6, 1, 1, [0, 1, 2, 3, 0, 6]);

        var standardised = new ForegroundZScoreStep().Apply(image);
        var clipped = new ForegroundZScoreStep(clipSigma: 1, backgroundValue: -2).Apply(image);

        ResizeStepTests.AssertClose([-1f, -0.3563483f, -0.1781742f, 0f, -1f, 0.5345225f], standardised.Pixels, 1e-6f);
        ResizeStepTests.AssertClose([-2f, -1f, -0.5345225f, 0f, -2f, 1f], clipped.Pixels, 1e-6f);
    }

    [Fact]
    public void ForegroundZScore_ThresholdAndDegenerateCases()
    {
        var image = ImageData.FromPlanar(4, 1, 1, [0.1f, 0.5f, 0.5f, 0.05f]);

        // Only 0.5 and 0.5 are above 0.2: a constant foreground standardises to 0.
        Assert.Equal([-1f, 0f, 0f, -1f], new ForegroundZScoreStep(threshold: 0.2f).Apply(image).Pixels.ToArray());
        Assert.Equal([-1f, -1f, -1f, -1f], new ForegroundZScoreStep(threshold: 0.9f).Apply(image).Pixels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ForegroundZScoreStep(clipSigma: 0));
    }

    [Fact]
    public void ForegroundZScore_Rgb_ForegroundIsAnyNonZeroChannel()
    {
        // Pixel 1 is (0, 4, 0): foreground, so the red channel's foreground is {2, 0, 4} with mean 2 and std sqrt(8/3).
        var image = ImageData.FromPlanar(4, 1, 3, [2, 0, 4, 0, /**/ 1, 4, 1, 0, /**/ 1, 0, 1, 0]);

        var red = new ForegroundZScoreStep(clipSigma: 10).Apply(image).Channel(0).ToArray();

        var std = Math.Sqrt(8.0 / 3);
        ResizeStepTests.AssertClose([0f, (float)(-2 / std / 10), (float)(2 / std / 10), -1f], red, 1e-6f);
    }
}
