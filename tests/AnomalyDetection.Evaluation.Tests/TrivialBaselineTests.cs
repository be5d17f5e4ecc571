using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Evaluation.Tests;

public sealed class TrivialBaselineTests
{
    [Fact]
    public void Statistic_TwoLevels_MeanAndPopulationSpread()
    {
        float[] pixels = [0f, 1f, 0f, 1f];

        Assert.Equal(0.5f, TrivialBaseline.Statistic(pixels, BaselineStatistic.Mean));
        Assert.Equal(0.5f, TrivialBaseline.Statistic(pixels, BaselineStatistic.Spread));
    }

    [Theory]
    // Normal means 0.2, 0.4; abnormal 0.3, 0.5: 3 of the 4 (abnormal, normal) pairs rank right → 0.75; darkness 0.25.
    [InlineData(BaselineStatistic.Mean, BaselineOrientation.High, 0.75)]
    [InlineData(BaselineStatistic.Mean, BaselineOrientation.Low, 0.25)]
    // Spreads (half the gap between the two halves): normal 0.1, 0.3; abnormal 0.2, 0.0 → 1 of 4 pairs → 0.25; inverted 0.75.
    [InlineData(BaselineStatistic.Spread, BaselineOrientation.High, 0.25)]
    [InlineData(BaselineStatistic.Spread, BaselineOrientation.Low, 0.75)]
    public void Evaluate_HandMadeImages_ImageAurocByHand(BaselineStatistic statistic, BaselineOrientation orientation, double expected)
    {
        var test = new ImageDataset("test",
        [
            Item("n0", AnomalyLabel.Normal, Halves(0.1f, 0.3f)),
            Item("n1", AnomalyLabel.Normal, Halves(0.1f, 0.7f)),
            Item("a0", AnomalyLabel.Abnormal, Halves(0.1f, 0.5f)),
            Item("a1", AnomalyLabel.Abnormal, Halves(0.5f, 0.5f)),
        ]);

        var report = TrivialBaseline.Evaluate(test, new BaselineOptions { Statistic = statistic, Orientation = orientation });

        Assert.Equal(expected, report.Image.Auroc, 12);
        Assert.Null(report.Pixel);
    }

    [Fact]
    public void Evaluate_BrightLesionWithoutBlur_PixelMetricsByHand()
    {
        // 2×2 images, no blur. Normal pixels 0.1, 0.2, 0.3, 0.4; the abnormal image's pixels 0.9 (lesion), 0.5, 0.2, 0.2.
        // Brightness: the single lesion pixel outscores all 7 normal pixels → pixel AUROC 1, best Dice 1.
        // Darkness: it is below all of them → AUROC 0.
        var lesion = ImageData.FromPlanar(2, 2, 1, [1f, 0f, 0f, 0f]);
        var test = new ImageDataset("test",
        [
            Item("n0", AnomalyLabel.Normal, ImageData.FromPlanar(2, 2, 1, [0.1f, 0.2f, 0.3f, 0.4f])),
            Item("a0", AnomalyLabel.Abnormal, ImageData.FromPlanar(2, 2, 1, [0.9f, 0.5f, 0.2f, 0.2f]), lesion),
        ]);

        var bright = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0 });
        var dark = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0, Orientation = BaselineOrientation.Low });

        Assert.Equal(1.0, bright.Pixel!.Auroc, 12);
        Assert.Equal(1.0, bright.Pixel.BestDice, 12);
        Assert.Equal(8, bright.Pixel.PixelCount);
        Assert.Equal(0.0, dark.Pixel!.Auroc, 12);
    }

    [Fact]
    public void Evaluate_Blur_SpreadsTheLesionOverItsNeighbours()
    {
        // With σ = 1 the lesion's brightness leaks into the pixel beside it, which then outscores a dark lesion-free
        // corner: without blur the 0.2 pixel next to the lesion ranks below the 0.3 corner, with blur above it.
        var image = ImageData.FromPlanar(4, 1, 1, [1f, 0.2f, 0.3f, 0.3f]);
        var mask = ImageData.FromPlanar(4, 1, 1, [1f, 1f, 0f, 0f]);
        var test = new ImageDataset("test",
        [
            Item("n0", AnomalyLabel.Normal, ImageData.FromPlanar(4, 1, 1, [0.1f, 0.1f, 0.1f, 0.1f])),
            Item("a0", AnomalyLabel.Abnormal, image, mask),
        ]);

        var sharp = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0 });
        var blurred = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 1 });

        // Sharp: positives 1.0 and 0.2 against negatives 0.3, 0.3, 0.1 ×4 → (6 + 4) / 12.
        Assert.Equal(10.0 / 12, sharp.Pixel!.Auroc, 12);
        Assert.Equal(1.0, blurred.Pixel!.Auroc, 12);
    }

    [Theory]
    // Sorted 0.1, 0.5, 0.7, 0.9: half is the top 2 → 0.8; a tenth rounds to none and takes the largest alone.
    [InlineData(0.5, 0.8)]
    [InlineData(0.1, 0.9)]
    [InlineData(1.0, 0.55)]
    public void TopMean_FourValues_MeanOfTheLargestByHand(double fraction, double expected)
    {
        Assert.Equal(expected, TopFraction.Mean([0.1f, 0.9f, 0.5f, 0.7f], fraction), 6);
    }

    [Fact]
    public void Evaluate_SmallBrightSpot_TopRanksWhatTheMeanMisses()
    {
        // Normal images are uniformly 0.4; each abnormal one is darker on average (mean 0.3) but holds one 0.9 pixel.
        // The mean ranks every abnormal image below every normal one (AUROC 0); the top quarter (one pixel) above (1).
        var spot = ImageData.FromPlanar(2, 2, 1, [1f, 0f, 0f, 0f]);
        var test = new ImageDataset("test",
        [
            Item("n0", AnomalyLabel.Normal, ImageData.FromPlanar(2, 2, 1, [0.4f, 0.4f, 0.4f, 0.4f])),
            Item("n1", AnomalyLabel.Normal, ImageData.FromPlanar(2, 2, 1, [0.4f, 0.4f, 0.4f, 0.4f])),
            Item("a0", AnomalyLabel.Abnormal, ImageData.FromPlanar(2, 2, 1, [0.9f, 0.1f, 0.1f, 0.1f]), spot),
            Item("a1", AnomalyLabel.Abnormal, ImageData.FromPlanar(2, 2, 1, [0.1f, 0.9f, 0.1f, 0.1f])),
        ]);

        var mean = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0 });
        var top = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0, Statistic = BaselineStatistic.Top, TopFraction = 0.25 });
        var darkestSpot = TrivialBaseline.Evaluate(test, new BaselineOptions { BlurSigma = 0, Statistic = BaselineStatistic.Top, TopFraction = 0.25, Orientation = BaselineOrientation.Low });

        Assert.Equal(0.0, mean.Image.Auroc, 12);
        Assert.Equal(1.0, top.Image.Auroc, 12);
        // Low orientation: the darkest quarter is −0.1 on abnormal images and −0.4 on normal ones, so abnormal ranks higher still.
        Assert.Equal(1.0, darkestSpot.Image.Auroc, 12);
        Assert.Equal(mean.Pixel!.Auroc, top.Pixel!.Auroc, 12);
        Assert.Equal(1.0, top.Pixel.Auroc, 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Evaluate_TopFractionOutsideRange_NamesTheValue(double fraction)
    {
        var test = new ImageDataset("test", [Item("n0", AnomalyLabel.Normal, Halves(0.1f, 0.3f))]);

        var error = Assert.Throws<HarnessException>(() => TrivialBaseline.Evaluate(test, new BaselineOptions { Statistic = BaselineStatistic.Top, TopFraction = fraction }));

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"The baseline's TopFraction must be in (0, 1]; got {fraction}."), error.Message);
    }

    private static ImageData Halves(float low, float high) => ImageData.FromPlanar(2, 1, 1, [low, high]);

    private static LabeledImage Item(string name, AnomalyLabel label, ImageData image, ImageData? mask = null) =>
        new(name, label, ImageSource.FromImage(image), mask is null ? null : ImageSource.FromImage(mask));
}
