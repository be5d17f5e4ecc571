namespace AnomalyDetection.Metrics;

/// <summary>Pixel-level localisation metrics: every pixel's anomaly-map score against its ground-truth mask, pooled
/// over the whole data set.</summary>
/// <param name="Auroc">The area under the pixel ROC curve.</param>
/// <param name="AveragePrecision">The pixel average precision.</param>
/// <param name="BestDice">The largest data-set-level Dice, 2·TP / (2·TP + FP + FN) over all pixels, over all
/// thresholds (which equals the pixel F1-max).</param>
/// <param name="BestDiceThreshold">The highest threshold attaining <paramref name="BestDice"/>.</param>
/// <param name="Aupro">The area under the per-region-overlap curve up to <paramref name="AuproFprLimit"/>, divided by
/// that limit.</param>
/// <param name="AuproFprLimit">The false-positive rate up to which <paramref name="Aupro"/> integrates.</param>
/// <param name="ImageCount">The number of anomaly maps.</param>
/// <param name="PixelCount">The number of pixels.</param>
/// <param name="AnomalousPixelCount">The number of anomalous (mask) pixels.</param>
/// <param name="RegionCount">The number of 8-connected anomalous regions over all masks.</param>
/// <param name="BinCount">The number of score bins the metrics were computed from, or null when they are exact.</param>
public sealed record PixelLevelMetrics(
    double Auroc,
    double AveragePrecision,
    double BestDice,
    double BestDiceThreshold,
    double Aupro,
    double AuproFprLimit,
    int ImageCount,
    long PixelCount,
    long AnomalousPixelCount,
    int RegionCount,
    int? BinCount);
