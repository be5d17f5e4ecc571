namespace AnomalyDetection.Data;

/// <summary>The parts of a dataset read from disk.</summary>
/// <param name="Train">Normal images for one-class training.</param>
/// <param name="Test">Normal and abnormal images for evaluation, abnormal ones with masks where annotated.</param>
/// <param name="Extra">Additional pools kept apart from training (for example unlabelled or abnormal images for
/// semi-supervised or supervised experiments), by folder name; empty when there are none.</param>
public sealed record DatasetSplits(IImageDataset Train, IImageDataset Test, IReadOnlyDictionary<string, IImageDataset> Extra);
