using ScottPlot;

namespace AnomalyDetection.Plotting.Tests;

public class EvaluationPlotsTests
{
    private static (byte, byte, byte) Rgb(Color colour) => (colour.R, colour.G, colour.B);

    [Fact]
    public void RocIsAPngOfTheRequestedSizeWithTheCurveAndText()
    {
        var (scores, labels) = SyntheticScores.Make();
        var picture = Picture.Decode(EvaluationPlots.RenderRoc(scores, labels, threshold: 0.5f, width: 700, height: 650), "roc");

        Assert.Equal((700, 650), (picture.Width, picture.Height));
        Assert.True(picture.CountNonWhite() > 5000, $"only {picture.CountNonWhite()} pixels are not white");
        // Anti-aliased text and lines give many shades; a blank or single-colour picture gives one or two.
        Assert.True(picture.DistinctColours() > 50);
        Assert.True(picture.Count(Rgb(PlotColours.Curve)) > 200, "the ROC curve's colour is missing");
        Assert.True(picture.Count(Rgb(PlotColours.Threshold)) > 20, "the threshold's operating point is missing");
    }

    [Fact]
    public void PrecisionRecallIsAPngOfTheDefaultSizeWithTheCurve()
    {
        var (scores, labels) = SyntheticScores.Make();
        var picture = Picture.Decode(EvaluationPlots.RenderPrecisionRecall(scores, labels, threshold: 0.5f), "precision-recall");

        Assert.Equal((EvaluationPlots.DefaultWidth, EvaluationPlots.DefaultHeight), (picture.Width, picture.Height));
        Assert.True(picture.Count(Rgb(PlotColours.Curve)) > 200, "the precision-recall curve's colour is missing");
        Assert.True(picture.Count(Rgb(PlotColours.Threshold)) > 20, "the threshold's operating point is missing");
    }

    [Fact]
    public void HistogramDrawsTheThresholdAsAVerticalLineAtItsScore()
    {
        var (scores, labels) = SyntheticScores.Make();
        const float threshold = 0.45f;
        var plot = ScoreHistogramPlot.Build(scores, labels, 135, 135, threshold);
        var picture = Picture.Decode(plot.GetImageBytes(800, 600, ImageFormat.Png), "histogram");

        // After rendering, the plot maps data to the pixels it just drew.
        var expectedX = (int)Math.Round(plot.GetPixel(new Coordinates(threshold, 0)).X);
        var data = plot.RenderManager.LastRender.DataRect;
        var column = Enumerable.Range(expectedX - 2, 5)
            .Select(x => (X: x, Count: picture.Count(Rgb(PlotColours.Threshold), x, (int)data.Top, x + 1, (int)data.Bottom)))
            .MaxBy(c => c.Count);
        Assert.True(column.Count > 0.8 * data.Height, $"the best column near x = {expectedX} has {column.Count} threshold pixels of {data.Height}");

        // Normal scores sit mostly left of the threshold, anomalous ones mostly right.
        var normalFill = Blend(PlotColours.Normal);
        var anomalousFill = Blend(PlotColours.Anomalous);
        // Bars are drawn half transparent, so their fill is the colour blended with white, give or take rounding.
        var normalLeft = picture.Count(normalFill, right: expectedX, tolerance: 3);
        var normalRight = picture.Count(normalFill, left: expectedX, tolerance: 3);
        var anomalousLeft = picture.Count(anomalousFill, right: expectedX, tolerance: 3);
        var anomalousRight = picture.Count(anomalousFill, left: expectedX, tolerance: 3);
        Assert.True(normalLeft > 2 * normalRight && normalLeft > 10_000, $"normal fill: {normalLeft} px left of the threshold, {normalRight} right");
        Assert.True(anomalousRight > 2 * anomalousLeft && anomalousRight > 10_000, $"anomalous fill: {anomalousLeft} px left of the threshold, {anomalousRight} right");
    }

    [Fact]
    public void RenderingIsDeterministicAndSafeOnSeveralThreads()
    {
        var (scores, labels) = SyntheticScores.Make();
        var expected = EvaluationPlots.RenderRoc(scores, labels, 0.5f);
        var results = new byte[8][];
        Parallel.For(0, results.Length, i => results[i] = EvaluationPlots.RenderRoc(scores, labels, 0.5f));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void HistogramAcceptsOneClass()
    {
        var scores = new float[] { 0.1f, 0.2f, 0.2f, 0.3f };
        var picture = Picture.Decode(EvaluationPlots.RenderScoreHistogram(scores, new bool[4], 0.25f), "histogram-normal-only");
        Assert.True(picture.Count(Rgb(PlotColours.Threshold)) > 100);
    }

    [Fact]
    public void HistogramOfEqualScoresStillRenders()
    {
        var picture = Picture.Decode(EvaluationPlots.RenderScoreHistogram([0.5f, 0.5f], [false, true], 0.5f), "histogram-equal");
        Assert.True(picture.Count(Rgb(PlotColours.Threshold)) > 100);
    }

    public static TheoryData<string> Plots => ["roc", "precision-recall", "histogram"];

    [Theory]
    [MemberData(nameof(Plots))]
    public void MismatchedLengthsAreRefusedNamingBothCounts(string plot)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Render(plot, [0.1f, 0.2f, 0.3f], [false, true]));
        Assert.Contains("3 scores and 2 labels", error.Message);
    }

    [Theory]
    [MemberData(nameof(Plots))]
    public void EmptyInputIsRefused(string plot)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Render(plot, [], []));
        Assert.Contains("at least one score", error.Message);
    }

    [Theory]
    [MemberData(nameof(Plots))]
    public void NonFiniteScoresAreRefused(string plot)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Render(plot, [0.1f, float.NaN], [false, true]));
        Assert.Contains("score 1 is NaN", error.Message);
    }

    [Theory]
    [InlineData("roc")]
    [InlineData("precision-recall")]
    public void CurvesRefuseASingleClass(string plot)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Render(plot, [0.1f, 0.2f], [false, false]));
        Assert.Contains("both normal and anomalous", error.Message);
        Assert.Contains("no anomalous sample", error.Message);
    }

    [Fact]
    public void NonFiniteThresholdIsRefused()
    {
        var (scores, labels) = SyntheticScores.Make(10, 10);
        Assert.ThrowsAny<ArgumentException>(() => EvaluationPlots.RenderScoreHistogram(scores, labels, float.PositiveInfinity));
        Assert.ThrowsAny<ArgumentException>(() => EvaluationPlots.RenderRoc(scores, labels, float.NaN));
    }

    [Fact]
    public void TooSmallAPictureIsRefused()
    {
        var (scores, labels) = SyntheticScores.Make(10, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationPlots.RenderRoc(scores, labels, width: 50));
    }

    [Fact]
    public async Task SaveRocAsyncWritesACompletePngAndNoTemporaryFile()
    {
        var folder = Directory.CreateTempSubdirectory("plotting-tests-");
        try
        {
            var (scores, labels) = SyntheticScores.Make();
            var path = Path.Combine(folder.FullName, "nested", "roc.png");
            await EvaluationPlots.SaveRocAsync(scores, labels, path, 0.5f);
            await EvaluationPlots.SaveScoreHistogramAsync(scores, labels, 0.5f, Path.Combine(folder.FullName, "nested", "histogram.png"));

            Assert.Equal(EvaluationPlots.DefaultWidth, Picture.Decode(await File.ReadAllBytesAsync(path), "saved-roc").Width);
            Assert.Equal(["histogram.png", "roc.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CancelledSaveLeavesTheOldFileAlone()
    {
        var folder = Directory.CreateTempSubdirectory("plotting-tests-");
        try
        {
            var (scores, labels) = SyntheticScores.Make();
            var path = Path.Combine(folder.FullName, "roc.png");
            await File.WriteAllTextAsync(path, "previous");
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EvaluationPlots.SaveRocAsync(scores, labels, path, cancellationToken: cancelled.Token));
            Assert.Equal("previous", await File.ReadAllTextAsync(path));
            Assert.Single(Directory.GetFiles(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static byte[] Render(string plot, float[] scores, bool[] labels) => plot switch
    {
        "roc" => EvaluationPlots.RenderRoc(scores, labels),
        "precision-recall" => EvaluationPlots.RenderPrecisionRecall(scores, labels),
        _ => EvaluationPlots.RenderScoreHistogram(scores, labels, 0.5f),
    };

    /// <summary>A bar's fill: its colour at half opacity over the white background.</summary>
    private static (byte, byte, byte) Blend(Color colour) => (Half(colour.R), Half(colour.G), Half(colour.B));

    private static byte Half(byte value) => (byte)Math.Round((255 + value) / 2.0);
}
