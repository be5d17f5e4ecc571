using AnomalyDetection.Tensors;

namespace AnomalyDetection.Detection;

/// <summary>What a detector's network computes for one batch.</summary>
/// <param name="Scores">One raw image score per batch item.</param>
/// <param name="Maps">Pixel anomaly maps of shape (N, 1, H, W) at the network's resolution, or null for detectors that
/// do not localise.</param>
public sealed record DetectorScores(float[] Scores, Tensor? Maps);
