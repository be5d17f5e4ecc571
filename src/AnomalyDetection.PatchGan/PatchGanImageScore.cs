using System.Text.Json.Serialization;

namespace AnomalyDetection.PatchGan;

/// <summary>What a Patch-GAN image score is the top of.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PatchGanImageScore>))]
public enum PatchGanImageScore
{
    /// <summary>The fused patch scores: the mean of their top <c>ScoreTopFraction</c>, as in the paper.</summary>
    Patches,

    /// <summary>The smoothed pixel map: the mean of its top <c>ScoreTopFraction</c> of pixels. On a coarse grid (2 × 2
    /// patches of 32 pixels) one patch is a quarter of the image, so a lesion smaller than a patch is diluted in its
    /// patch's score but stands out among the map's pixels. Measured on two brain MRI sets it scored lower than
    /// <see cref="Patches"/> (docs/benchmarks.md), so compare both on held-out data before choosing it.</summary>
    Map,
}
