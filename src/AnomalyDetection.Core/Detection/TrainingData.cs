using AnomalyDetection.Data;

namespace AnomalyDetection.Detection;

/// <summary>What a detector trains on.</summary>
/// <param name="Normal">Images known to be normal.</param>
/// <param name="Unlabeled">An optional pool of unlabeled images (normal and anomalous mixed) for semi-supervised
/// detectors; one-class detectors ignore it.</param>
/// <param name="Validation">Optional validation images for calibration and model selection. When null, a
/// validation split is carved from <paramref name="Normal"/> with the options' fraction and seed. Never pass test data.</param>
public sealed record TrainingData(IImageDataset Normal, IImageDataset? Unlabeled = null, IImageDataset? Validation = null);
