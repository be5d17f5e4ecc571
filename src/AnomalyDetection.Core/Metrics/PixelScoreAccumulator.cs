using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Metrics;

/// <summary>
/// Collects anomaly maps and ground-truth masks one image at a time, then computes pixel-level metrics (AUROC,
/// average precision, best Dice, AUPRO) over all pixels pooled, so a large test set never needs all its maps in
/// memory at once.
/// </summary>
/// <remarks>
/// <para>Pixels are kept individually, and the metrics are exact, up to <see cref="PixelMetricsOptions.ExactPixelLimit"/>
/// pixels; past it the accumulator moves them into <see cref="PixelMetricsOptions.BinCount"/> equal-width score bins
/// whose range adapts to the scores, using memory proportional to the bin count from then on.</para>
/// <para>A pixel is called anomalous when its score is at or above the threshold. AUPRO follows the MVTec AD
/// definition: the anomalous regions are the 8-connected components of each mask; at each threshold, PRO is the
/// mean over all regions of the fraction of the region's pixels at or above the threshold, and the false-positive
/// rate is taken over all normal pixels of all images; the curve from (0, 0) is integrated by the trapezoid rule up
/// to <see cref="PixelMetricsOptions.AuproFprLimit"/> (interpolating linearly at the limit) and divided by the
/// limit.</para>
/// <para>Not thread-safe: add images from one thread at a time.</para>
/// </remarks>
public sealed class PixelScoreAccumulator
{
    private readonly int _binCount;
    private readonly int _exactPixelLimit;
    private readonly double _auproFprLimit;

    // Scratch for the image being added: the pixel count of each of its regions.
    private readonly List<int> _imageRegionSizes = [];
    private ExactPixelBuffer? _exact = new();
    private PixelHistogram? _histogram;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="options">The exactness and AUPRO settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PixelScoreAccumulator(PixelMetricsOptions? options = null)
    {
        options ??= new PixelMetricsOptions();
        if (options.BinCount < 2 || options.BinCount % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BinCount, $"{nameof(PixelMetricsOptions.BinCount)} must be even and at least 2.");
        }

        if (options.ExactPixelLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ExactPixelLimit, $"{nameof(PixelMetricsOptions.ExactPixelLimit)} must not be negative.");
        }

        if (!(options.AuproFprLimit is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AuproFprLimit, $"{nameof(PixelMetricsOptions.AuproFprLimit)} must lie in (0, 1].");
        }

        _binCount = options.BinCount;
        _exactPixelLimit = options.ExactPixelLimit;
        _auproFprLimit = options.AuproFprLimit;
    }

    /// <summary>The number of images added.</summary>
    public int ImageCount { get; private set; }

    /// <summary>The number of pixels added.</summary>
    public long PixelCount { get; private set; }

    /// <summary>The number of anomalous (mask) pixels added.</summary>
    public long AnomalousPixelCount { get; private set; }

    /// <summary>The number of 8-connected anomalous regions over all masks added.</summary>
    public int RegionCount { get; private set; }

    /// <summary>Whether every pixel is still kept individually, so that the metrics are exact.</summary>
    public bool IsExact => _exact is not null;

    /// <summary>The smallest pixel score added (+∞ before the first image).</summary>
    public double MinimumScore { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest pixel score added (-∞ before the first image).</summary>
    public double MaximumScore { get; private set; } = double.NegativeInfinity;

    /// <summary>Adds one image's anomaly map and its ground-truth mask.</summary>
    /// <param name="anomalyMap">The pixel scores in row-major order; higher means more anomalous.</param>
    /// <param name="mask">The ground truth in the same order; <c>true</c> = anomalous pixel.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <param name="width">The image width in pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is not
    /// positive.</exception>
    /// <exception cref="ArgumentException">A span's length is not <paramref name="height"/> · <paramref name="width"/>,
    /// or a score is not finite.</exception>
    public void Add(ReadOnlySpan<float> anomalyMap, ReadOnlySpan<bool> mask, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var pixels = (long)height * width;
        if (anomalyMap.Length != pixels)
        {
            throw new ArgumentException($"An anomaly map of {height} × {width} needs {pixels} scores, but got {anomalyMap.Length}.", nameof(anomalyMap));
        }

        if (mask.Length != pixels)
        {
            throw new ArgumentException($"A mask of {height} × {width} needs {pixels} pixels, but got {mask.Length}.", nameof(mask));
        }

        var regions = ArrayPool<int>.Shared.Rent(anomalyMap.Length);
        try
        {
            var labels = regions.AsSpan(0, anomalyMap.Length);
            _imageRegionSizes.Clear();
            ConnectedComponents.Label(mask, height, width, labels, _imageRegionSizes);
            AddPixels(anomalyMap, labels);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(regions);
        }
    }

    /// <summary>Adds the anomaly map of an image with no anomalous pixels (a normal image without a mask).</summary>
    /// <param name="anomalyMap">The pixel scores; higher means more anomalous.</param>
    /// <exception cref="ArgumentException">The map is empty or a score is not finite.</exception>
    public void AddNormal(ReadOnlySpan<float> anomalyMap)
    {
        if (anomalyMap.IsEmpty)
        {
            throw new ArgumentException("An anomaly map needs at least one pixel, but the span is empty.", nameof(anomalyMap));
        }

        var regions = ArrayPool<int>.Shared.Rent(anomalyMap.Length);
        try
        {
            var labels = regions.AsSpan(0, anomalyMap.Length);
            labels.Fill(-1);
            _imageRegionSizes.Clear();
            AddPixels(anomalyMap, labels);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(regions);
        }
    }

    /// <summary>Computes the pixel-level metrics of everything added so far; more images may be added afterwards.</summary>
    /// <returns>The metrics; <see cref="PixelLevelMetrics.BinCount"/> says whether they are exact.</returns>
    /// <exception cref="InvalidOperationException">The pixels added so far are all normal or all anomalous.</exception>
    public PixelLevelMetrics ComputeMetrics()
    {
        var sweep = BuildSweep();
        sweep.RequireBothClasses("Pixel-level evaluation");
        var dice = sweep.BestF1();
        return new PixelLevelMetrics(
            sweep.Auroc(),
            sweep.AveragePrecision(),
            dice.Value,
            dice.Threshold,
            sweep.Aupro(_auproFprLimit),
            _auproFprLimit,
            ImageCount,
            PixelCount,
            AnomalousPixelCount,
            RegionCount,
            IsExact ? null : _binCount);
    }

    /// <summary>The confusion counts at every distinct score (exact) or non-empty bin (binned).</summary>
    internal ScoreSweep BuildSweep() => _exact?.ToSweep() ?? _histogram!.ToSweep(RegionCount);

    // Adds one image's pixels; regions index _imageRegionSizes, -1 marking a normal pixel.
    private void AddPixels(ReadOnlySpan<float> scores, ReadOnlySpan<int> regions)
    {
        // Min and Max propagate NaN, and an infinity shows up as one of them, so one check covers every pixel.
        var min = TensorPrimitives.Min(scores);
        var max = TensorPrimitives.Max(scores);
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            ScoreInput.RequireFinite(scores, "anomalyMap");
        }

        var regionSizes = CollectionsMarshal.AsSpan(_imageRegionSizes);
        if (_exact is not null && _exact.Count + (long)scores.Length > _exactPixelLimit)
        {
            SwitchToHistogram();
        }

        if (_exact is not null)
        {
            _exact.Add(scores, regions, regionSizes);
        }
        else
        {
            _histogram!.Add(scores, regions, regionSizes, min, max);
        }

        ImageCount++;
        PixelCount += scores.Length;
        foreach (var size in regionSizes)
        {
            AnomalousPixelCount += size;
        }

        RegionCount += regionSizes.Length;
        MinimumScore = Math.Min(MinimumScore, min);
        MaximumScore = Math.Max(MaximumScore, max);
    }

    private void SwitchToHistogram()
    {
        _histogram = new PixelHistogram(_binCount);
        if (_exact!.Count > 0)
        {
            _histogram.Add(_exact.Scores, _exact.Regions, _exact.RegionSizes, MinimumScore, MaximumScore);
        }

        _exact = null;
    }
}
