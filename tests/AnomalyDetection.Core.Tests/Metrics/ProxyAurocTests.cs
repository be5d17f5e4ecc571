using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Core.Tests.Metrics;

public class ProxyAurocTests
{
    private static readonly IReadOnlyList<ImageData> Normals =
        Enumerable.Range(0, 8).Select(i => SyntheticAnomaliesTests.Constant(24, 24, 0.3f + (0.05f * i))).ToList();

    [Fact]
    public void Compute_ScoreThatSeesLocalChange_SeparatesEverySyntheticAnomaly()
    {
        // Flat normal images: any blob or patch from another (different) level raises the spread above zero.
        var auroc = ProxyAuroc.Compute(new ScoringDetector(Spread), Normals, seed: 7);

        Assert.Equal(1.0, auroc);
    }

    [Fact]
    public void Compute_BlindScore_IsChance()
    {
        Assert.Equal(0.5, ProxyAuroc.Compute(new ScoringDetector(_ => 1f), Normals, seed: 7));
    }

    [Fact]
    public void Compute_NonFiniteScoreOfAnAnomaly_CountsAsDetected()
    {
        var auroc = ProxyAuroc.Compute(new ScoringDetector(image => Spread(image) > 0 ? float.NaN : 0f), Normals, seed: 7);

        Assert.Equal(1.0, auroc);
    }

    [Fact]
    public void Compute_OneImage_SaysHowManyItNeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => ProxyAuroc.Compute(new ScoringDetector(Spread), [Normals[0]], seed: 1));

        Assert.StartsWith("The proxy AUROC needs at least 2 held-out normal images; got 1.", error.Message, StringComparison.Ordinal);
    }

    private static float Spread(ImageData image) => image.Pixels.ToArray().Max() - image.Pixels.ToArray().Min();

    /// <summary>A fitted stand-in whose score is a fixed function of the image.</summary>
    private sealed class ScoringDetector(Func<ImageData, float> score) : IAnomalyDetector
    {
        public string Kind => "scoring";

        public bool IsFitted => true;

        public TrainingSummary? LastTraining => null;

        public bool ProducesAnomalyMaps => false;

        public DetectorCalibration Calibration => throw new NotSupportedException();

        public void Recalibrate(DetectorCalibration calibration) => throw new NotSupportedException();

        public void Fit(TrainingData data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public AnomalyPrediction Predict(ImageData image) => new(score(image), 0, false, 0, null, null, null, null);

        public IReadOnlyList<AnomalyPrediction> PredictBatch(IReadOnlyList<ImageData> images, CancellationToken cancellationToken = default) =>
            images.Select(Predict).ToList();

        public EvaluationReport Evaluate(IImageDataset testSet, IProgress<int>? progress = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SaveAsync(Stream destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SaveAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
