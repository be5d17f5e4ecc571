using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Core.Tests.Metrics;

public class SyntheticAnomaliesTests
{
    [Fact]
    public void AddBlob_ChangesOneRoundRegion_WithinTheImagesRange_AndLeavesTheInputAlone()
    {
        var image = Ramp(40, 40);
        var original = image.ToPlanarArray();

        var blob = SyntheticAnomalies.AddBlob(image, new RandomSource(3)).ToPlanarArray();

        Assert.Equal(original, image.ToPlanarArray());
        var change = blob.Zip(original, (b, o) => b - o).ToArray();
        var peak = Array.IndexOf(change, change.MaxBy(Math.Abs));
        var (py, px) = (peak / 40, peak % 40);
        // The bump falls off with the distance from its peak: a pixel 12 px away moved less than one 2 px away.
        var near = Math.Abs(change[(py * 40) + Math.Clamp(px + 2, 0, 39)]);
        var far = Math.Abs(change[(Math.Clamp(py + 12, 0, 39) * 40) + px]);
        Assert.True(Math.Abs(change[peak]) >= 0.2f * 0.5f, $"peak change {change[peak]}");
        Assert.True(far < near, $"far {far} vs near {near}");
        Assert.All(blob, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(blob, SyntheticAnomalies.AddBlob(image, new RandomSource(3)).ToPlanarArray());
    }

    [Fact]
    public void PastePatch_PutsTheDonorsTissueInOneSquare_WithASoftEdge()
    {
        var image = Constant(32, 32, 0.2f);
        var donor = Constant(32, 32, 0.8f);

        var pasted = SyntheticAnomalies.PastePatch(image, donor, new RandomSource(5)).ToPlanarArray();

        var changed = Enumerable.Range(0, pasted.Length).Where(i => pasted[i] != 0.2f).ToList();
        var rows = changed.Select(i => i / 32).ToList();
        var columns = changed.Select(i => i % 32).ToList();
        var side = rows.Max() - rows.Min() + 1;
        Assert.Equal(side, columns.Max() - columns.Min() + 1);
        Assert.InRange(side, 4, 12); // 15–35% of 32
        Assert.Equal(side * side, changed.Count);
        var centre = ((rows.Min() + (side / 2)) * 32) + columns.Min() + (side / 2);
        Assert.Equal(0.8f, pasted[centre], 6);
        var corner = (rows.Min() * 32) + columns.Min();
        Assert.InRange(pasted[corner], 0.2001f, 0.7999f);
    }

    [Fact]
    public void PastePatch_DonorOfAnotherSize_NamesBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SyntheticAnomalies.PastePatch(Constant(32, 32, 0), Constant(16, 32, 0), new RandomSource(1)));

        Assert.StartsWith("The donor is 16×32×1, the image 32×32×1; they must match.", error.Message, StringComparison.Ordinal);
    }

    internal static ImageData Constant(int width, int height, float value) =>
        ImageData.FromPlanar(width, height, 1, Enumerable.Repeat(value, width * height).ToArray());

    internal static ImageData Ramp(int width, int height) =>
        ImageData.FromPlanar(width, height, 1, Enumerable.Range(0, width * height).Select(i => i % width / (float)width).ToArray());
}
