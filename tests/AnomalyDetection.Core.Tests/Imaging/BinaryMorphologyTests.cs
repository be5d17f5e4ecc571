using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class BinaryMorphologyTests
{
    [Fact]
    public void Erode_RadiusOne_KeepsPixelsWhoseCrossIsSet()
    {
        // A 5 × 4 block touching the left border: its border column and rim go; the disc of radius 1 is a cross, so
        // only pixels with all four edge neighbours set survive.
        var mask = Parse(
            "#####.",
            "#####.",
            "#####.",
            "#####.");

        var eroded = BinaryMorphology.Erode(mask, 6, 4, 1);

        Assert.Equal(Parse(
            "......",
            ".###..",
            ".###..",
            "......"), eroded);
    }

    [Fact]
    public void Erode_RadiusZero_ReturnsTheMask()
    {
        var mask = Parse("#.#", ".#.");

        Assert.Equal(mask, BinaryMorphology.Erode(mask, 3, 2, 0));
    }

    [Fact]
    public void LargestComponent_KeepsTheBiggestRegionOnly()
    {
        var mask = Parse(
            "##..#",
            "##..#",
            "....#",
            "#...#",
            "....#");

        Assert.Equal(Parse(
            "....#",
            "....#",
            "....#",
            "....#",
            "....#"), BinaryMorphology.LargestComponent(mask, 5, 5));
        Assert.Equal(new bool[4], BinaryMorphology.LargestComponent(new bool[4], 2, 2));
    }

    [Fact]
    public void FillHoles_FillsEnclosedGapsButNotBayOpenToTheBorder()
    {
        var mask = Parse(
            "#####.",
            "#..#..",
            "#####.",
            "......");

        Assert.Equal(Parse(
            "#####.",
            "####..",
            "#####.",
            "......"), BinaryMorphology.FillHoles(mask, 6, 4));
    }

    private static bool[] Parse(params string[] rows) => [.. rows.SelectMany(row => row.Select(c => c == '#'))];
}
