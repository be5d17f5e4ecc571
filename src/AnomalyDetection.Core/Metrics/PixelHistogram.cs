using System.Diagnostics;

namespace AnomalyDetection.Metrics;

/// <summary>
/// Pixel counts per score bin, kept separately for normal and anomalous pixels, plus each bin's share of region
/// overlap (Σ 1 / region size over its anomalous pixels), so pixel metrics need memory proportional to the bin count
/// only.
/// </summary>
/// <remarks>
/// The bins are equal-width and cover a range that adapts to the scores seen: the first call sets it to that call's
/// [min, max]; a score outside the covered range doubles the bin width (merging neighbouring bins pairwise) and
/// extends the range up or down until it fits. The scores seen always straddle the covered range's midpoint, so a
/// growth needs a score more than half the covered length from the others, and the width stays below
/// 4 · (max − min) / binCount of all scores seen.
/// </remarks>
internal sealed class PixelHistogram
{
    private readonly long[] _normal;
    private readonly long[] _anomalous;
    private readonly double[] _overlap;
    private double _lower;
    private double _width;
    private bool _hasRange;

    /// <param name="binCount">An even number of bins, at least 2 (even so that bins merge pairwise on growth).</param>
    public PixelHistogram(int binCount)
    {
        Debug.Assert(binCount >= 2 && binCount % 2 == 0);
        _normal = new long[binCount];
        _anomalous = new long[binCount];
        _overlap = new double[binCount];
    }

    public int BinCount => _normal.Length;

    /// <summary>Adds pixels whose scores lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="scores">The pixel scores.</param>
    /// <param name="regions">Per pixel, an index into <paramref name="regionSizes"/>, or -1 for a normal pixel.</param>
    /// <param name="regionSizes">The pixel count of each anomalous region.</param>
    /// <param name="min">The smallest score.</param>
    /// <param name="max">The largest score.</param>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<int> regions, ReadOnlySpan<int> regionSizes, double min, double max)
    {
        Debug.Assert(scores.Length == regions.Length);
        Cover(min, max);
        var inverseWidth = 1.0 / _width;
        var lastBin = BinCount - 1;
        for (var i = 0; i < scores.Length; i++)
        {
            // Clamping absorbs rounding at the range's ends; the top edge itself belongs to the last bin.
            var bin = Math.Clamp((int)((scores[i] - _lower) * inverseWidth), 0, lastBin);
            var region = regions[i];
            if (region < 0)
            {
                _normal[bin]++;
            }
            else
            {
                _anomalous[bin]++;
                _overlap[bin] += 1.0 / regionSizes[region];
            }
        }
    }

    /// <summary>Sweeps the non-empty bins from the top down; each threshold is its bin's lower edge.</summary>
    public ScoreSweep ToSweep(int regionCount)
    {
        var thresholds = new List<double>();
        var truePositives = new List<long>();
        var falsePositives = new List<long>();
        var overlaps = new List<double>();
        long tp = 0, fp = 0;
        double overlap = 0;
        for (var bin = BinCount - 1; bin >= 0; bin--)
        {
            if (_normal[bin] == 0 && _anomalous[bin] == 0)
            {
                continue;
            }

            tp += _anomalous[bin];
            fp += _normal[bin];
            overlap += _overlap[bin];
            thresholds.Add(_lower + (bin * _width));
            truePositives.Add(tp);
            falsePositives.Add(fp);
            overlaps.Add(overlap);
        }

        return new ScoreSweep([.. thresholds], [.. truePositives], [.. falsePositives], [.. overlaps], regionCount);
    }

    private void Cover(double min, double max)
    {
        if (!_hasRange)
        {
            if (max > min)
            {
                _lower = min;
                _width = (max - min) / BinCount;

                // Rounding may leave the top edge a hair below max, which would force a needless growth.
                while (_lower + (BinCount * _width) < max)
                {
                    _width = Math.BitIncrement(_width);
                }
            }
            else
            {
                // A constant first batch gives no scale: centre a range about one float step wide on it, and let
                // growth find the scale. Centring keeps the midpoint invariant that bounds the width.
                _width = Math.Max(Math.Abs(min) * 1e-7, 1e-30) / BinCount;
                _lower = min - (BinCount * _width / 2);
            }

            _hasRange = true;
        }

        while (min < _lower || max > _lower + (BinCount * _width))
        {
            if (min < _lower)
            {
                GrowDownward();
            }
            else
            {
                GrowUpward();
            }
        }
    }

    // Doubles the width keeping the lower edge: old bins 2j and 2j+1 become bin j; the upper half starts empty.
    private void GrowUpward()
    {
        var half = BinCount / 2;
        for (var j = 0; j < half; j++)
        {
            _normal[j] = _normal[2 * j] + _normal[(2 * j) + 1];
            _anomalous[j] = _anomalous[2 * j] + _anomalous[(2 * j) + 1];
            _overlap[j] = _overlap[2 * j] + _overlap[(2 * j) + 1];
        }

        Array.Clear(_normal, half, half);
        Array.Clear(_anomalous, half, half);
        Array.Clear(_overlap, half, half);
        _width *= 2;
    }

    // Doubles the width keeping the upper edge: old bin i becomes bin (binCount + i) / 2; the lower half starts empty.
    private void GrowDownward()
    {
        var count = BinCount;
        var half = count / 2;
        for (var j = count - 1; j >= half; j--)
        {
            var source = (2 * j) - count;
            _normal[j] = _normal[source] + _normal[source + 1];
            _anomalous[j] = _anomalous[source] + _anomalous[source + 1];
            _overlap[j] = _overlap[source] + _overlap[source + 1];
        }

        Array.Clear(_normal, 0, half);
        Array.Clear(_anomalous, 0, half);
        Array.Clear(_overlap, 0, half);
        _lower -= count * _width;
        _width *= 2;
    }
}
