using AnomalyDetection.Components;
using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>
/// SAGAN's pseudo-anomalies, in the style of foreign patch interpolation: a square of another normal
/// image is blended into a normal image with a random opacity, x̃ = (1 − α·M)·x + α·M·source, where M is the square's
/// indicator. The generator learns to undo it (the restoration loss).
/// </summary>
/// <remarks>
/// The integer ranges are the reference's, whose NumPy calls truncate float bounds. For a side S: the centre row and
/// column are uniform in [⌊0.2·S⌋, ⌊0.8·S⌋) and the half-width in [round(0.05·S), round(0.2·S)) (rounding half to
/// even, as Python does); the square spans [centre − half, centre + half), clipped to the image. For S = 64 that is
/// centres in [12, 50], half-widths in [3, 12] and sides of 6 to 24 pixels. The opacity is uniform in [0, 1).
/// </remarks>
public sealed class PseudoAnomalySynthesizer
{
    /// <summary>Creates a synthesizer for square images.</summary>
    /// <param name="imageSize">The image side S, at least 16.</param>
    public PseudoAnomalySynthesizer(int imageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 16);
        ImageSize = imageSize;
        var offset = 0.2 * imageSize;
        CentreMin = (int)offset;
        CentreMax = (int)(offset + (0.6 * imageSize)) - 1;
        HalfWidthMin = (int)Math.Round(0.05 * imageSize, MidpointRounding.ToEven);
        HalfWidthMax = (int)Math.Round(0.2 * imageSize, MidpointRounding.ToEven) - 1;
    }

    /// <summary>The image side.</summary>
    public int ImageSize { get; }

    /// <summary>The smallest centre row or column (12 for 64×64 images).</summary>
    public int CentreMin { get; }

    /// <summary>The largest centre row or column (50 for 64×64 images).</summary>
    public int CentreMax { get; }

    /// <summary>The smallest half-width (3 for 64×64 images).</summary>
    public int HalfWidthMin { get; }

    /// <summary>The largest half-width (12 for 64×64 images).</summary>
    public int HalfWidthMax { get; }

    /// <summary>Draws one region and opacity.</summary>
    /// <param name="random">The source.</param>
    public PseudoAnomalyRegion SampleRegion(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var row = random.NextInt(CentreMin, CentreMax + 1);
        var column = random.NextInt(CentreMin, CentreMax + 1);
        var half = random.NextInt(HalfWidthMin, HalfWidthMax + 1);
        var opacity = random.NextSingle();
        return new PseudoAnomalyRegion(
            Math.Max(row - half, 0), Math.Max(column - half, 0), Math.Min(row + half, ImageSize), Math.Min(column + half, ImageSize), opacity);
    }

    /// <summary>Draws one region per image and blends the sources in.</summary>
    /// <param name="targets">Normal images (B, C, S, S).</param>
    /// <param name="sources">The foreign images, one per target (B, C, S, S); another normal image each.</param>
    /// <param name="random">Draws the regions.</param>
    /// <returns>The pseudo-anomalous images, a new tensor on the targets' device.</returns>
    public Tensor Synthesize(Tensor targets, Tensor sources, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var regions = new PseudoAnomalyRegion[targets.dim() == 4 ? targets.shape[0] : 0];
        for (var i = 0; i < regions.Length; i++)
        {
            regions[i] = SampleRegion(random);
        }

        return Blend(targets, sources, regions);
    }

    /// <summary>Blends each source into its target inside the target's region: (1 − α·M)·x + α·M·source.</summary>
    /// <param name="targets">Normal images (B, C, S, S).</param>
    /// <param name="sources">The foreign images (B, C, S, S).</param>
    /// <param name="regions">One region per image.</param>
    /// <returns>The blended images, a new tensor on the targets' device; the inputs are not changed.</returns>
    /// <exception cref="ArgumentException">The shapes or the number of regions do not fit.</exception>
    /// <remarks>The blend runs on managed copies: the trainer draws its batches on the CPU and moves them once.</remarks>
    public Tensor Blend(Tensor targets, Tensor sources, IReadOnlyList<PseudoAnomalyRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(regions);
        if (targets.dim() != 4 || targets.shape[2] != ImageSize || targets.shape[3] != ImageSize || !targets.shape.SequenceEqual(sources.shape))
        {
            throw new ArgumentException(
                $"Pseudo-anomalies need targets and sources of one shape (B, C, {ImageSize}, {ImageSize}), but got {ComponentInputGuard.Format(targets.shape)} and {ComponentInputGuard.Format(sources.shape)}.",
                nameof(sources));
        }

        if (regions.Count != targets.shape[0])
        {
            throw new ArgumentException($"One region per image is needed: {targets.shape[0]} images but {regions.Count} regions.", nameof(regions));
        }

        var result = TensorData.ToArray(targets);
        var source = TensorData.ToArray(sources);
        int channels = (int)targets.shape[1], side = ImageSize;
        for (var b = 0; b < regions.Count; b++)
        {
            var region = regions[b];
            var alpha = region.Opacity;
            for (var c = 0; c < channels; c++)
            {
                var plane = ((b * channels) + c) * side * side;
                for (var y = region.Top; y < region.Bottom; y++)
                {
                    for (var x = region.Left; x < region.Right; x++)
                    {
                        var at = plane + (y * side) + x;
                        result[at] = ((1f - alpha) * result[at]) + (alpha * source[at]);
                    }
                }
            }
        }

        var blended = TensorData.FromArray(result, targets.shape);
        if (targets.device.type == TorchSharp.DeviceType.CPU)
        {
            return blended;
        }

        using (blended)
        {
            return blended.to(targets.device);
        }
    }
}
