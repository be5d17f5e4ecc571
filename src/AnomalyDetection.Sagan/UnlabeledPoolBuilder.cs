using System.Globalization;
using AnomalyDetection.Data;

namespace AnomalyDetection.Sagan;

/// <summary>
/// Builds SAGAN's unlabeled training pool as the authors' data loader does: as many images as the
/// labelled normal set, ⌊size·ratio⌋ of them the first abnormal candidates and the rest the first normal candidates.
/// The items are relabelled <see cref="AnomalyLabel.Unknown"/>, since the detector must not see their labels. A caller
/// with a pool of its own passes it to <c>Fit</c> directly instead.
/// </summary>
public static class UnlabeledPoolBuilder
{
    /// <summary>The abnormal share of the pool in the paper's experiments.</summary>
    public const double DefaultAbnormalRatio = 0.6;

    /// <summary>Builds the pool.</summary>
    /// <param name="size">The pool size; the paper uses the size of the labelled normal training set.</param>
    /// <param name="abnormalCandidates">Abnormal images, taken from the start.</param>
    /// <param name="normalCandidates">Normal images, taken from the start; they may overlap the labelled normal set
    /// when a data set has no other normal images.</param>
    /// <param name="abnormalRatio">The abnormal share, in [0, 1]; defaults to 0.6.</param>
    /// <returns>A dataset named "unlabeled" of abnormal then normal items, labelled unknown and named
    /// "{source set}/{item}".</returns>
    /// <exception cref="ArgumentException">A candidate set is too small for its share; the message says how many are needed.</exception>
    public static ImageDataset Build(int size, IImageDataset abnormalCandidates, IImageDataset normalCandidates, double abnormalRatio = DefaultAbnormalRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentNullException.ThrowIfNull(abnormalCandidates);
        ArgumentNullException.ThrowIfNull(normalCandidates);
        if (!(abnormalRatio is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(abnormalRatio), abnormalRatio, "The abnormal ratio must be in [0, 1].");
        }

        var abnormal = (int)(size * abnormalRatio);
        var normal = size - abnormal;
        if (abnormalCandidates.Count < abnormal)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A pool of {size} with abnormal ratio {abnormalRatio} needs {abnormal} abnormal images, but '{abnormalCandidates.Name}' has {abnormalCandidates.Count}."), nameof(abnormalCandidates));
        }

        if (normalCandidates.Count < normal)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A pool of {size} with abnormal ratio {abnormalRatio} needs {normal} normal images, but '{normalCandidates.Name}' has {normalCandidates.Count}."), nameof(normalCandidates));
        }

        // Names keep their source set as a prefix so that they stay unique when both sets number their items alike.
        return new ImageDataset("unlabeled",
            abnormalCandidates.Take(abnormal).Select(item => Unlabel(abnormalCandidates.Name, item))
                .Concat(normalCandidates.Take(normal).Select(item => Unlabel(normalCandidates.Name, item))));
    }

    private static LabeledImage Unlabel(string source, LabeledImage item) =>
        new($"{source}/{item.Name}", AnomalyLabel.Unknown, item.Image, category: item.Category);
}
