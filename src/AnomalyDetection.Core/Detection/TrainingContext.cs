using AnomalyDetection.Randomness;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace AnomalyDetection.Detection;

/// <summary>Everything a detector's training loop gets from the shared fitting flow.</summary>
/// <param name="Normal">Preprocessed normal training images.</param>
/// <param name="Unlabeled">Preprocessed unlabeled images, when given.</param>
/// <param name="Validation">Preprocessed normal validation images, for model selection (never test data).</param>
/// <param name="Random">The seeded source for initialisation order, sampling and augmentation.</param>
/// <param name="Device">Where the networks live; batches move there once per step.</param>
/// <param name="Logger">The detector's logger.</param>
public sealed record TrainingContext(
    TrainingImageSet Normal,
    TrainingImageSet? Unlabeled,
    TrainingImageSet Validation,
    RandomSource Random,
    torch.Device Device,
    ILogger Logger);
