using AnomalyDetection.Autoencoder.Tests.Helpers;
using AnomalyDetection.TestSupport;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;

namespace AnomalyDetection.Autoencoder.Tests;

public class AutoencoderDetectorTests
{
    [Fact]
    public void Fit_SquareLesions_ScoresAndLocalisesThemAboveNormalScans()
    {
        var detector = new AutoencoderDetector(Tiny.Options(steps: 60));
        var losses = new List<double>();

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 48, seed: 1)), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Losses["reconstruction"])));
        var bright = detector.Evaluate(SyntheticScans.Test(16, 16, seed: 2));
        var inverted = detector.Evaluate(SyntheticScans.Test(16, 16, seed: 2, inverted: true));

        var early = losses.Take(5).Average();
        var late = losses.TakeLast(5).Average();
        Assert.True(late < 0.3 * early, $"reconstruction loss {early:F4} → {late:F4}");
        Assert.True(bright.Image.Auroc > 0.95 && bright.Pixel!.Auroc > 0.95, $"bright: image AUROC {bright.Image.Auroc:F3}, pixel {bright.Pixel?.Auroc:F3}");

        // Bright squares stand out even for an untrained network, whose output is nearly flat; squares of normal
        // intensities in opposite phase do not (after one step: image AUROC 0.42, pixel 0.54; after 60: 1.00, 0.99).
        Assert.True(inverted.Image.Auroc > 0.95, $"inverted: image AUROC {inverted.Image.Auroc:F3}");
        Assert.True(inverted.Pixel!.Auroc > 0.95, $"inverted: pixel AUROC {inverted.Pixel.Auroc:F3}");
    }

    [Fact]
    public void Predict_AfterTraining_PeaksInsideAnInvertedLesion()
    {
        var detector = new AutoencoderDetector(Tiny.Options(steps: 40));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 32, seed: 3)));
        var random = new RandomSource(4);
        var lesion = SyntheticScans.Lesion(random);

        var map = detector.Predict(SyntheticScans.Wave(random, 1, lesion, inverted: true)).Map!.ToArray();

        var peak = Array.IndexOf(map, map.Max());
        var (y, x) = (peak / SyntheticScans.Size, peak % SyntheticScans.Size);
        Assert.InRange(y, lesion.Y - 1, lesion.Y + SyntheticScans.LesionSize);
        Assert.InRange(x, lesion.X - 1, lesion.X + SyntheticScans.LesionSize);
    }

    [Theory]
    [InlineData(ReconstructionLoss.L2)]
    [InlineData(ReconstructionLoss.L1)]
    public void Fit_EitherLoss_ReducesItAndChangesEveryLayer(ReconstructionLoss loss)
    {
        var options = Tiny.Options(steps: 20);
        options.Loss = loss;
        var detector = new AutoencoderDetector(options);
        var initial = Snapshot(detector);
        var losses = new List<double>();

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 24, seed: 5)), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Losses["reconstruction"])));

        Assert.True(losses[^1] < 0.5 * losses[0], $"{loss}: {losses[0]:F4} → {losses[^1]:F4}");
        var trained = Snapshot(detector);
        Assert.All(initial.Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)),
            p => Assert.False(p.Value.SequenceEqual(trained[p.Key]), $"{p.Key} did not change"));
    }

    [Fact]
    public void Fit_SameSeed_GivesBitIdenticalWeightsAndScores_OtherSeed_Differs()
    {
        static AutoencoderOptions Options(long seed)
        {
            var options = Tiny.Options(steps: 4);
            options.Seed = seed;
            return options;
        }

        var data = new TrainingData(SyntheticScans.Normal("train", 20, seed: 6));
        var images = SyntheticScans.Test(2, 2, seed: 7).Select(i => i.LoadImage()).ToList();
        var first = new AutoencoderDetector(Options(5));
        var second = new AutoencoderDetector(Options(5));
        var other = new AutoencoderDetector(Options(6));
        first.Fit(data);
        second.Fit(data);
        other.Fit(data);

        var weights = Snapshot(first);
        Assert.All(Snapshot(second), p => Assert.True(p.Value.SequenceEqual(weights[p.Key]), $"{p.Key} differs between runs with the same seed"));
        Assert.Equal(first.PredictBatch(images).Select(p => p.Score), second.PredictBatch(images).Select(p => p.Score));
        Assert.Contains(Snapshot(other), p => !p.Value.SequenceEqual(weights[p.Key]));
    }

    [Fact]
    public void Fit_Progress_ReportsEveryStepOfMaxSteps()
    {
        var reports = new List<TrainingProgress>();
        var detector = new AutoencoderDetector(Tiny.Options(steps: 5));

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 8)), new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.Equal([1L, 2, 3, 4, 5], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(5, r.TotalSteps));
        // 18 training images after the 10% validation split: three steps (8, 8, 2) per epoch.
        Assert.Equal([1, 1, 1, 2, 2], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(["reconstruction"], r.Losses.Keys));
        Assert.Equal(5, detector.LastTraining!.Steps);
    }

    [Fact]
    public void Fit_Epochs_RunsEveryBatchOfEveryEpoch()
    {
        var options = Tiny.Options();
        (options.MaxSteps, options.Epochs, options.ValidationFraction) = (null, 2, 0.25);
        var detector = new AutoencoderDetector(options);

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 12, seed: 9)));

        // 9 training images in batches of 8: two steps per epoch.
        Assert.Equal(4, detector.LastTraining!.Steps);
    }

    [Fact]
    public void Fit_CancelledToken_ThrowsAndLeavesTheDetectorUnfitted()
    {
        using var cancellation = new CancellationTokenSource();
        var detector = new AutoencoderDetector(Tiny.Options(steps: 50));
        var steps = 0L;

        Assert.Throws<OperationCanceledException>(() => detector.Fit(
            new TrainingData(SyntheticScans.Normal("train", 20, seed: 10)),
            new SynchronousProgress<TrainingProgress>(p =>
            {
                steps = p.Step;
                if (p.Step == 2)
                {
                    cancellation.Cancel();
                }
            }),
            cancellation.Token));
        Assert.Equal(2, steps);
        Assert.False(detector.IsFitted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SaveAsync_ThenLoadAsync_PredictsIdentically(int channels)
    {
        var options = Tiny.Options(channels, steps: 3);
        options.Loss = ReconstructionLoss.L1;
        var detector = new AutoencoderDetector(options);
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 11, channels)));
        var images = SyntheticScans.Test(2, 2, seed: 12, channels).Select(i => i.LoadImage()).ToList();

        using var file = new MemoryStream();
        await detector.SaveAsync(file);
        file.Position = 0;
        var loaded = await AutoencoderDetector.LoadAsync(file);

        var expected = detector.PredictBatch(images);
        var actual = loaded.PredictBatch(images);
        Assert.Equal("autoencoder", loaded.Kind);
        Assert.Equal((channels, ReconstructionLoss.L1), (loaded.Options.Channels, loaded.Options.Loss));
        Assert.Equal(detector.Calibration, loaded.Calibration);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].Map!.ToArray(), actual[i].Map!.ToArray());
        }
    }

    [Fact]
    public void Predict_28PixelRgbFromAnotherSize_GivesAMapAtTheNetworkSize()
    {
        var options = Tiny.Options(channels: 3, steps: 2);
        (options.ImageSize, options.Depth) = (28, 4);
        var detector = new AutoencoderDetector(options);
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 13, channels: 3)));
        var pixels = new float[3 * 40 * 48];
        new RandomSource(1).FillUniform(pixels, 0f, 1f);
        var image = ImageData.FromPlanar(48, 40, 3, pixels);

        var prediction = detector.Predict(image);

        Assert.True(detector.ProducesAnomalyMaps);
        Assert.Equal((28, 28), (prediction.Map!.Width, prediction.Map.Height));
        Assert.True(float.IsFinite(prediction.Score));
        Assert.All(prediction.Map.ToArray(), v => Assert.True(v >= 0 && float.IsFinite(v)));
        Assert.NotNull(prediction.Mask);
    }

    [Fact]
    public void Predict_NoSmoothingAndWholeMap_ScoresTheMeanSquaredError()
    {
        var options = Tiny.Options(steps: 2);
        (options.MapSmoothingSigma, options.ScoreTopFraction) = (0, 1);
        var detector = new AutoencoderDetector(options);
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 14)));
        var image = SyntheticScans.Test(1, 0, seed: 15)[0].LoadImage();

        var prediction = detector.Predict(image);

        var prepared = ImageData.ToBatchTensor([detector.Preprocessing.Apply(image)]);
        float expected;
        using (torch.no_grad())
        {
            expected = (prepared - detector.Network.forward(prepared)).square().mean().item<float>();
        }

        Assert.Equal(expected, prediction.Score, 5);
        Assert.Equal(expected, prediction.Map!.ToArray().Average(), 5);
    }

    [Fact]
    public void PredictBatch_ManyThreads_GiveTheSameAnswers()
    {
        var detector = new AutoencoderDetector(Tiny.Options(steps: 2));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 16)));
        var images = SyntheticScans.Test(3, 3, seed: 17).Select(i => i.LoadImage()).ToList();
        var expected = detector.PredictBatch(images).Select(p => p.Score).ToArray();

        var results = new float[4][];
        Parallel.For(0, 4, t => results[t] = detector.PredictBatch(images).Select(p => p.Score).ToArray());

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    private static Dictionary<string, float[]> Snapshot(AutoencoderDetector detector) =>
        StateDicts.Export(detector.Network).ToDictionary(p => p.Key, p => TensorData.ToArray(p.Value));
}
