using AnomalyDetection.Data;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>How Fit divides its data: the normal images it trains on, the held-out ones it calibrates on, and the
/// unlabeled pool without the held-out ones.</summary>
internal static class TrainingDataSplit
{
    /// <summary>The training and validation sets: the given validation set, or a seeded held-out fraction of the normal images.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="options">The validation fraction and seed.</param>
    /// <returns>The images to train on and those to validate and calibrate on.</returns>
    /// <exception cref="InvalidDatasetException">There are no normal images, or the fraction leaves fewer than 2 for validation or none for training.</exception>
    public static (IImageDataset Train, IImageDataset Validation) SplitValidation(TrainingData data, DetectorOptions options)
    {
        if (data.Normal.Count == 0)
        {
            throw new InvalidDatasetException(data.Normal.Name, "it holds no images; training needs normal images.");
        }

        if (data.Validation is { } validation)
        {
            return (data.Normal, validation);
        }

        var held = ValidationSplit.HeldCount(data.Normal.Count, options.ValidationFraction);
        if (held < 2 || held >= data.Normal.Count)
        {
            throw new InvalidDatasetException(data.Normal.Name,
                $"holding out ValidationFraction {options.ValidationFraction} of its {data.Normal.Count} image(s) gives {held} for validation; " +
                "calibration needs at least 2 validation images and training at least 1 (change ValidationFraction or pass a validation set).");
        }

        var split = ValidationSplit.Carve(data.Normal, options.ValidationFraction, options.Seed);
        return (split.Train, split.Validation);
    }

    /// <summary>
    /// The unlabeled pool without the held-out validation images: a pool built from the labelled normal set may hold
    /// them, and a network that trained on them would calibrate its threshold on images it has seen.
    /// </summary>
    /// <param name="unlabeled">The pool.</param>
    /// <param name="validation">The held-out images.</param>
    /// <param name="logger">Told how many images were left out.</param>
    /// <returns>The pool itself when it holds none of them.</returns>
    public static IImageDataset WithoutHeldOut(IImageDataset unlabeled, IImageDataset validation, ILogger logger)
    {
        var heldSources = validation.Select(item => item.Image).ToHashSet(ReferenceEqualityComparer.Instance);
        var heldFiles = validation.Select(item => item.Image.FilePath).OfType<string>().Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var kept = unlabeled.Where(item => !heldSources.Contains(item.Image)
            && !(item.Image.FilePath is { } file && heldFiles.Contains(Path.GetFullPath(file)))).ToList();
        if (kept.Count == unlabeled.Count)
        {
            return unlabeled;
        }

        DetectorLog.HeldOutImagesLeftOutOfPool(logger, unlabeled.Count - kept.Count, unlabeled.Count);
        return new ImageDataset(unlabeled.Name, kept);
    }
}
