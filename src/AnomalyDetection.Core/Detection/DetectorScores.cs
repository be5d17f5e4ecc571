using AnomalyDetection.Calibration;
using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>What a detector's network computes for one batch, copied off the device.</summary>
/// <param name="Scores">One raw image score per batch item.</param>
/// <param name="Maps">Pixel anomaly maps, one plane of <paramref name="MapHeight"/> × <paramref name="MapWidth"/> per item
/// in batch order, at the network's resolution; null for detectors that do not localise.</param>
/// <param name="MapHeight">The height of each map; 0 without maps.</param>
/// <param name="MapWidth">The width of each map; 0 without maps.</param>
public sealed record DetectorScores(float[] Scores, float[]? Maps, int MapHeight, int MapWidth)
{
    /// <summary>Copies scores (N) and optional maps (N, 1, H, W) from any device.</summary>
    /// <param name="scores">One score per item.</param>
    /// <param name="maps">The maps, or null.</param>
    public static DetectorScores From(float[] scores, Tensor? maps)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (maps is null)
        {
            return new DetectorScores(scores, null, 0, 0);
        }

        if (maps.dim() != 4 || maps.shape[1] != 1 || maps.shape[0] != scores.Length)
        {
            throw new ArgumentException($"Anomaly maps must have shape ({scores.Length}, 1, H, W), but got [{string.Join(", ", maps.shape)}].", nameof(maps));
        }

        return new DetectorScores(scores, TensorData.ToArray(maps), (int)maps.shape[2], (int)maps.shape[3]);
    }

    /// <summary>Copies scores (N) and optional maps (N, 1, H, W) from any device.</summary>
    /// <param name="scores">One score per item.</param>
    /// <param name="maps">The maps, or null.</param>
    public static DetectorScores From(Tensor scores, Tensor? maps)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return From(TensorData.ToArray(scores), maps);
    }

    /// <summary>The map of batch item <paramref name="index"/>.</summary>
    /// <param name="index">The item.</param>
    public ReadOnlySpan<float> Map(int index)
    {
        var plane = MapHeight * MapWidth;
        return Maps is null ? default : Maps.AsSpan(index * plane, plane);
    }

    /// <summary>The image score a prediction returns for batch item <paramref name="index"/>, and its map: the map less
    /// <paramref name="baseline"/> when there is one (else this batch's own plane, not copied), and the mean of its top
    /// <paramref name="mapScoreTopFraction"/> when that is set, else the raw score. Calibration fits its thresholds on
    /// the same, so they match predictions.</summary>
    internal float Returned(int index, NormalMapBaseline? baseline, double? mapScoreTopFraction, out ReadOnlySpan<float> map)
    {
        map = baseline is null ? Map(index) : baseline.Subtract(Map(index));
        return mapScoreTopFraction is { } fraction ? TopFraction.Mean(map, fraction) : Scores[index];
    }
}
