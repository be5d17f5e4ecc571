using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using ScottPlot;

namespace AnomalyDetection.Plotting.Tests;

public class PredictionPanelTests
{
    private const int Side = 28;

    private static (byte, byte, byte) Rgb(Color colour) => (colour.R, colour.G, colour.B);

    [Fact]
    public void ASmallImageIsEnlargedToReadableTilesWithAllThreePanels()
    {
        var picture = Picture.Decode(PredictionPanel.Render(Image(), Prediction(anomalous: true)), "panel-anomalous");

        // Three tiles of at least 256 px side by side, the colour bar and margins.
        Assert.True(picture.Width >= 3 * 256, $"the panel is only {picture.Width} px wide");
        Assert.True(picture.Height >= 256 + 60, $"the panel is only {picture.Height} px high");
        Assert.True(picture.DistinctColours() > 100);
        // The map spans its own range, so both ends of jet appear (dark blue, dark red), in the tile and its colour bar.
        Assert.True(picture.Count((0, 0, 128), tolerance: 2) > 500, "jet's low end is missing");
        Assert.True(picture.Count((128, 0, 0), tolerance: 2) > 200, "jet's high end is missing");
    }

    [Fact]
    public void TheVerdictIsWrittenInItsColour()
    {
        var anomalous = Picture.Decode(PredictionPanel.Render(Image(), Prediction(anomalous: true)), "panel-verdict-anomalous");
        var normal = Picture.Decode(PredictionPanel.Render(Image(), Prediction(anomalous: false)), "panel-verdict-normal");

        Assert.True(anomalous.Count(Rgb(PlotColours.AnomalousText), bottom: 50) > 50);
        Assert.Equal(0, anomalous.Count(Rgb(PlotColours.NormalText), bottom: 50));
        Assert.True(normal.Count(Rgb(PlotColours.NormalText), bottom: 50) > 20);
        Assert.Equal(0, normal.Count(Rgb(PlotColours.AnomalousText), bottom: 50));
    }

    [Fact]
    public void AGroundTruthMaskIsOutlinedOnEveryTile()
    {
        var withMask = Picture.Decode(PredictionPanel.Render(Image(), Prediction(anomalous: true), Mask()), "panel-mask");
        var without = Picture.Decode(PredictionPanel.Render(Image(), Prediction(anomalous: true)), "panel-no-mask");

        var outline = Rgb(PlotColours.MaskOutline);
        Assert.Equal(0, without.Count(outline));
        // The mask is an 8 × 8 pixel square; enlarged about 9×, its outline is some 290 px long per tile, 2 px wide.
        var perThird = withMask.Width / 3;
        for (var tile = 0; tile < 3; tile++)
        {
            var count = withMask.Count(outline, left: tile * perThird, right: (tile + 1) * perThird);
            Assert.True(count > 300, $"tile {tile} has only {count} outline pixels");
        }
    }

    [Fact]
    public void WithoutAMapOnlyTheInputIsDrawn()
    {
        var prediction = Prediction(anomalous: false) with { Map = null, Mask = null, PixelThreshold = null };
        var picture = Picture.Decode(PredictionPanel.Render(Image(), prediction), "panel-no-map");

        // One tile: the panel keeps only its minimum width (for the text), with no map, colour bar or overlay.
        Assert.True(picture.Width < 2 * 256 + 200, $"the panel is {picture.Width} px wide");
        Assert.Equal(0, picture.Count((128, 0, 0), tolerance: 2));
        Assert.Equal(0, picture.Count((0, 0, 128), tolerance: 2));
    }

    [Fact]
    public void ALargeImageIsReducedAndKeepsItsAspectRatio()
    {
        var image = ImageData.FromPlanar(600, 300, 1, Enumerable.Range(0, 600 * 300).Select(i => i % 600 / 600f).ToArray());
        var map = AnomalyMap.From(600, 300, image.Pixels);
        var prediction = Prediction(anomalous: true) with { Map = map };
        var picture = Picture.Decode(PredictionPanel.Render(image, prediction, options: new PredictionPanelOptions { Caption = "wide.png" }), "panel-wide");

        // Tiles 512 × 256: three of them side by side, but only 256 px of tiles in height.
        Assert.True(picture.Width >= 3 * 512);
        Assert.True(picture.Height < 512);
    }

    [Fact]
    public void AMaskOfAnotherSizeIsRefusedNamingBothSizes()
    {
        var mask = ImageData.FromPlanar(14, 14, 1, new float[14 * 14]);
        var error = Assert.Throws<ArgumentException>(() => PredictionPanel.Render(Image(), Prediction(anomalous: true), mask));
        Assert.Contains("14×14", error.Message);
        Assert.Contains("28×28", error.Message);
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PredictionPanel.Render(Image(), Prediction(true), options: new PredictionPanelOptions { TileSize = 10 }));
        Assert.Throws<ArgumentException>(() => PredictionPanel.Render(Image(), Prediction(true), options: new PredictionPanelOptions { OverlayWeight = 2 }));
        Assert.Throws<ArgumentException>(() => PredictionPanel.Render(Image(), Prediction(true), options: new PredictionPanelOptions { MapMinimum = 0 }));
        Assert.Throws<ArgumentException>(() => PredictionPanel.Render(Image(), Prediction(true), options: new PredictionPanelOptions { MapMinimum = 1, MapMaximum = 1 }));
    }

    [Fact]
    public async Task SaveAsyncWritesTheSamePictureAsRender()
    {
        var folder = Directory.CreateTempSubdirectory("plotting-tests-");
        try
        {
            var path = Path.Combine(folder.FullName, "panel.png");
            await PredictionPanel.SaveAsync(Image(), Prediction(anomalous: true), path, Mask());
            Assert.Equal(PredictionPanel.Render(Image(), Prediction(anomalous: true), Mask()), await File.ReadAllBytesAsync(path));
            Assert.Single(Directory.GetFiles(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A gray gradient with a bright 8 × 8 square at (16..23, 6..13), like a lesion.</summary>
    private static ImageData Image() => ImageData.FromPlanar(Side, Side, 1, Values((x, y) => InSquare(x, y) ? 0.95f : 0.2f + (0.4f * x / Side)));

    private static ImageData Mask() => ImageData.FromPlanar(Side, Side, 1, Values((x, y) => InSquare(x, y) ? 1f : 0f));

    private static AnomalyPrediction Prediction(bool anomalous)
    {
        // A smooth bump over the square, so the map has both jet ends and everything in between.
        var map = AnomalyMap.From(Side, Side, Values((x, y) => (float)Math.Exp(-((x - 19.5) * (x - 19.5) + ((y - 9.5) * (y - 9.5))) / 30)));
        return new AnomalyPrediction(anomalous ? 0.61f : 0.12f, anomalous ? 0.8f : 0.2f, anomalous, 0.42f, anomalous ? 0.004 : 0.4, map, map.ToMask(0.5f), 0.5f);
    }

    private static bool InSquare(int x, int y) => x is >= 16 and < 24 && y is >= 6 and < 14;

    private static float[] Values(Func<int, int, float> value)
    {
        var values = new float[Side * Side];
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                values[(y * Side) + x] = value(x, y);
            }
        }

        return values;
    }
}
