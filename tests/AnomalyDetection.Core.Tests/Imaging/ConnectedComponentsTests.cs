using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class ConnectedComponentsTests
{
    [Fact]
    public void Label_DiagonalNeighbours_JoinOneRegion()
    {
        // 1 0 0 0
        // 0 1 0 1     (0,0)-(1,1)-(2,2) touch by corners: one region under 8-connectivity (three under 4).
        // 0 0 1 1     (1,3)-(2,3) touch (2,2) by an edge, so they join it too.
        // 1 0 0 0     (3,0) is alone.
        bool[] mask =
        [
            true, false, false, false,
            false, true, false, true,
            false, false, true, true,
            true, false, false, false,
        ];
        var labels = new int[mask.Length];
        var sizes = new List<int>();
        var count = ConnectedComponents.Label(mask, 4, 4, labels, sizes);

        Assert.Equal(2, count);
        Assert.Equal([5, 1], sizes);
        Assert.Equal(
            [
                0, -1, -1, -1,
                -1, 0, -1, 0,
                -1, -1, 0, 0,
                1, -1, -1, -1,
            ],
            labels);
    }

    [Fact]
    public void Label_RegionsOneGapApart_StaySeparate()
    {
        // A column of background between them breaks every edge and corner contact.
        bool[] mask =
        [
            true, false, true,
            true, false, true,
        ];
        var labels = new int[mask.Length];
        var sizes = new List<int>();
        Assert.Equal(2, ConnectedComponents.Label(mask, 2, 3, labels, sizes));
        Assert.Equal([2, 2], sizes);
        Assert.Equal([0, -1, 1, 0, -1, 1], labels);
    }

    [Fact]
    public void Label_EmptyMask_FindsNothing()
    {
        var labels = new int[6];
        var sizes = new List<int>();
        Assert.Equal(0, ConnectedComponents.Label(new bool[6], 2, 3, labels, sizes));
        Assert.Empty(sizes);
        Assert.All(labels, label => Assert.Equal(-1, label));
    }
}
