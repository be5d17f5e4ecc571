using System.Runtime.InteropServices;

namespace AnomalyDetection.Metrics;

/// <summary>Keeps every pixel score with its anomalous region, for exact pixel metrics on small inputs.</summary>
internal sealed class ExactPixelBuffer
{
    private readonly List<float> _scores = [];

    // The region each pixel belongs to, indexing _regionSizes, or -1 for a normal pixel.
    private readonly List<int> _regions = [];
    private readonly List<int> _regionSizes = [];

    public int Count => _scores.Count;

    public ReadOnlySpan<float> Scores => CollectionsMarshal.AsSpan(_scores);

    public ReadOnlySpan<int> Regions => CollectionsMarshal.AsSpan(_regions);

    public ReadOnlySpan<int> RegionSizes => CollectionsMarshal.AsSpan(_regionSizes);

    /// <summary>Appends one image's pixels; <paramref name="regions"/> index <paramref name="regionSizes"/>, which
    /// are this image's regions only.</summary>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<int> regions, ReadOnlySpan<int> regionSizes)
    {
        var offset = _regionSizes.Count;
        _scores.AddRange(scores);
        _regions.EnsureCapacity(_regions.Count + regions.Length);
        foreach (var region in regions)
        {
            _regions.Add(region < 0 ? -1 : region + offset);
        }

        _regionSizes.AddRange(regionSizes);
    }

    /// <summary>Sorts the pixels (their order carries no meaning) and sweeps every distinct score.</summary>
    public ScoreSweep ToSweep()
    {
        var scores = CollectionsMarshal.AsSpan(_scores);
        var regions = CollectionsMarshal.AsSpan(_regions);
        scores.Sort(regions);

        var thresholds = new List<double>();
        var truePositives = new List<long>();
        var falsePositives = new List<long>();
        var overlaps = new List<double>();
        long tp = 0, fp = 0;
        double overlap = 0;
        for (var i = scores.Length - 1; i >= 0; i--)
        {
            var region = regions[i];
            if (region < 0)
            {
                fp++;
            }
            else
            {
                tp++;
                overlap += 1.0 / _regionSizes[region];
            }

            if (i == 0 || scores[i - 1] != scores[i])
            {
                thresholds.Add(scores[i]);
                truePositives.Add(tp);
                falsePositives.Add(fp);
                overlaps.Add(overlap);
            }
        }

        return new ScoreSweep([.. thresholds], [.. truePositives], [.. falsePositives], [.. overlaps], _regionSizes.Count);
    }
}
