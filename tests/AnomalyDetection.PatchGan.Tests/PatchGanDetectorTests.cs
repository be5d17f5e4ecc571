using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Engine;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.PatchGan.Tests;

public class PatchGanDetectorTests
{
    [Fact]
    public void Fit_BrightSquareLesions_ScoresAndLocalisesThemAboveNormalScans()
    {
        var detector = new PatchGanDetector(Tiny.Options(steps: 60));
        var losses = new List<IReadOnlyDictionary<string, double>>();

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 48, seed: 1)), new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Losses)));
        var report = detector.Evaluate(SyntheticScans.Test(16, 16, seed: 2, drawNoiseUnderLesion: true));

        Assert.True(report.Image.Auroc > 0.9, $"image AUROC {report.Image.Auroc:F3}");
        Assert.NotNull(report.Pixel);
        // An untrained network already ranks the bright lesion's pixels at about 0.93 (and its images at about 0.55).
        Assert.True(report.Pixel.Auroc > 0.98, $"pixel AUROC {report.Pixel.Auroc:F3}");
        var early = losses.Take(5).Average(l => l["reconstruction"]);
        var late = losses.TakeLast(5).Average(l => l["reconstruction"]);
        Assert.True(late < 0.6 * early, $"reconstruction loss {early:F4} → {late:F4}");
    }

    [Fact]
    public void Fit_SameSeed_GivesBitIdenticalWeights_OtherSeed_Differs()
    {
        static PatchGanOptions Options(long seed)
        {
            var options = Tiny.Options(steps: 3);
            (options.Seed, options.Ranking, options.Discriminator, options.GlobalDiscriminatorWeight) =
                (seed, PatchRanking.Learned, PatchDiscriminatorKind.FullyConvolutional, 0.1);
            options.ReconstructorAttention = true;
            return options;
        }

        var data = new TrainingData(SyntheticScans.Normal("train", 20, seed: 3));
        var first = Train(Options(5), data);
        var second = Train(Options(5), data);
        var other = Train(Options(6), data);

        foreach (var (name, tensor) in first)
        {
            Assert.True(tensor.SequenceEqual(second[name]), $"{name} differs between runs with the same seed");
        }

        Assert.Contains(first, p => !p.Value.SequenceEqual(other[p.Key]));
    }

    [Fact]
    public void Fit_EveryPart_ChangesFromItsInitialisationAndStaysFinite()
    {
        var options = Tiny.Options(steps: 4);
        (options.Ranking, options.GlobalDiscriminatorWeight) = (PatchRanking.Learned, 0.1);
        var detector = new PatchGanDetector(options);
        var initial = Snapshot(detector);
        IReadOnlyDictionary<string, double>? losses = null;

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 4)), new SynchronousProgress<TrainingProgress>(p => losses = p.Losses));

        Assert.Equal(["adversarial", "discriminator", "global", "ranking", "reconstruction", "reconstructor"], losses!.Keys.Order());
        Assert.All(losses.Values, v => Assert.True(double.IsFinite(v)));
        foreach (var part in new[] { "reconstructor.", "discriminator.", "global_discriminator.", "ranking_head.", "statistics." })
        {
            Assert.Contains(initial, p => p.Key.StartsWith(part, StringComparison.Ordinal) && !p.Value.SequenceEqual(Snapshot(detector)[p.Key]));
        }
    }

    [Fact]
    public void Fit_Progress_ReportsEveryStepOfMaxSteps()
    {
        var reports = new List<TrainingProgress>();
        var detector = new PatchGanDetector(Tiny.Options(steps: 5));

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 5)), new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.Equal([1L, 2, 3, 4, 5], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(5, r.TotalSteps));
        // 18 training images after the 10% validation split: three steps (8, 8, 2) per epoch.
        Assert.Equal([1, 1, 1, 2, 2], reports.Select(r => r.Epoch));
        Assert.Equal(5, detector.LastTraining!.Steps);
    }

    [Fact]
    public void Fit_Epochs_RunsEveryBatchOfEveryEpoch()
    {
        var options = Tiny.Options();
        (options.MaxSteps, options.Epochs, options.ValidationFraction) = (null, 2, 0.25);
        var detector = new PatchGanDetector(options);

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 12, seed: 6)));

        // 9 training images in batches of 8: two steps per epoch.
        Assert.Equal(4, detector.LastTraining!.Steps);
    }

    [Fact]
    public void Fit_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var detector = new PatchGanDetector(Tiny.Options(steps: 50));

        Assert.Throws<OperationCanceledException>(() => detector.Fit(
            new TrainingData(SyntheticScans.Normal("train", 20, seed: 7)),
            new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Step == 2)
                {
                    cancellation.Cancel();
                }
            }),
            cancellation.Token));
        Assert.False(detector.IsFitted);
    }

    [Fact]
    public void Fit_Statistics_ComeFromTheTrainingPatches()
    {
        var detector = new PatchGanDetector(Tiny.Options(steps: 2));

        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 8)));

        var statistics = detector.Network.Statistics;
        Assert.InRange(statistics.ErrorMean.item<float>(), 0.01f, 2f);
        Assert.InRange(statistics.FakeMean.item<float>(), 0.01f, 0.99f);
        Assert.NotEqual(1f, statistics.ErrorStd.item<float>());
        Assert.NotEqual(1f, statistics.FakeStd.item<float>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SaveAsync_ThenLoadAsync_PredictsIdentically(int channels)
    {
        var detector = new PatchGanDetector(Tiny.Options(channels, steps: 3));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 9, channels)));
        var images = SyntheticScans.Test(2, 2, seed: 10, channels, drawNoiseUnderLesion: true).Select(i => i.LoadImage()).ToList();

        using var file = new MemoryStream();
        await detector.SaveAsync(file);
        file.Position = 0;
        var loaded = await PatchGanDetector.LoadAsync(file);

        var expected = detector.PredictBatch(images);
        var actual = loaded.PredictBatch(images);
        Assert.Equal("patchgan", loaded.Kind);
        Assert.Equal(channels, loaded.Options.Channels);
        Assert.Equal(detector.Calibration.Image.Threshold, loaded.Calibration.Image.Threshold);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].IsAnomalous, actual[i].IsAnomalous);
            Assert.Equal(expected[i].Map!.ToArray(), actual[i].Map!.ToArray());
        }
    }

    [Fact]
    public void Predict_RgbImageOfAnotherSize_GivesAMapAtTheNetworkSize()
    {
        var detector = new PatchGanDetector(Tiny.Options(channels: 3, steps: 2));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 11, channels: 3)));
        var pixels = new float[3 * 40 * 48];
        new RandomSource(1).FillUniform(pixels, 0f, 1f);
        var image = ImageData.FromPlanar(48, 40, 3, pixels);

        var prediction = detector.Predict(image);

        Assert.True(detector.ProducesAnomalyMaps);
        Assert.Equal((32, 32), (prediction.Map!.Width, prediction.Map.Height));
        Assert.True(float.IsFinite(prediction.Score));
        Assert.All(prediction.Map.ToArray(), v => Assert.True(v >= 0 && float.IsFinite(v)));
        Assert.NotNull(prediction.Mask);
    }

    [Fact]
    public void Predict_ImageScoreMap_ScoresTheTopOfTheMap_PatchesScoreTheSameTrainingOtherwise()
    {
        PatchGanDetector Trained(PatchGanImageScore imageScore)
        {
            var options = Tiny.Options(steps: 3);
            (options.ImageScore, options.ScoreTopFraction) = (imageScore, 0.1);
            var detector = new PatchGanDetector(options);
            detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 14)));
            return detector;
        }

        var image = SyntheticScans.Test(0, 1, seed: 15, drawNoiseUnderLesion: true)[0].LoadImage();
        var byMap = Trained(PatchGanImageScore.Map).Predict(image);
        var byPatches = Trained(PatchGanImageScore.Patches).Predict(image);

        var map = byMap.Map!.ToArray();
        Assert.Equal(map, byPatches.Map!.ToArray()); // the image score changes nothing else
        var top = map.OrderDescending().Take((int)Math.Round(0.1 * map.Length)).Average(v => (double)v);
        Assert.Equal(top, byMap.Score, 1e-5);
        Assert.NotEqual(byPatches.Score, byMap.Score);
    }

    [Fact]
    public void PredictBatch_ManyThreads_GiveTheSameAnswers()
    {
        var detector = new PatchGanDetector(Tiny.Options(steps: 2));
        detector.Fit(new TrainingData(SyntheticScans.Normal("train", 20, seed: 12)));
        var images = SyntheticScans.Test(3, 3, seed: 13, drawNoiseUnderLesion: true).Select(i => i.LoadImage()).ToList();
        var expected = detector.PredictBatch(images).Select(p => p.Score).ToArray();

        var results = new float[4][];
        Parallel.For(0, 4, t => results[t] = detector.PredictBatch(images).Select(p => p.Score).ToArray());

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_CancelledThenResumedFromItsCheckpoint_EndsBitIdenticalToAnUninterruptedRun(int cancelAfter)
    {
        // Learned ranking and a global discriminator: all three Adam states and every network travel in the checkpoint.
        // 18 training images in batches of 8 give 3 steps an epoch, so step 2 is mid-epoch and step 3 ends one.
        static PatchGanOptions Options(string? folder)
        {
            var options = Tiny.Options(steps: 5);
            (options.Ranking, options.GlobalDiscriminatorWeight, options.CheckpointDirectory, options.CheckpointInterval) =
                (PatchRanking.Learned, 0.1, folder, 1);
            return options;
        }

        var data = new TrainingData(SyntheticScans.Normal("train", 20, seed: 14));
        var uninterrupted = new PatchGanDetector(Options(null));
        uninterrupted.Fit(data);
        var folder = Directory.CreateTempSubdirectory("patchgan-resume-");
        try
        {
            using var cancellation = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => new PatchGanDetector(Options(folder.FullName)).Fit(
                data,
                new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (p.Step == cancelAfter)
                    {
                        cancellation.Cancel();
                    }
                }),
                cancellation.Token));

            var resumed = new PatchGanDetector(Options(folder.FullName));
            var steps = new List<long>();
            resumed.Fit(data, new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)));

            Assert.Equal(Enumerable.Range(cancelAfter + 1, 5 - cancelAfter).Select(i => (long)i), steps);
            var expected = Snapshot(uninterrupted);
            foreach (var (name, values) in Snapshot(resumed))
            {
                Assert.True(values.SequenceEqual(expected[name]), $"{name} differs from the uninterrupted run");
            }

            Assert.Equal(uninterrupted.LastTraining!.FinalLosses, resumed.LastTraining!.FinalLosses);
            var image = SyntheticScans.Test(0, 1, seed: 15, drawNoiseUnderLesion: true)[0].LoadImage();
            Assert.Equal(uninterrupted.Predict(image).Map!.ToArray(), resumed.Predict(image).Map!.ToArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, float[]> Train(PatchGanOptions options, TrainingData data)
    {
        var detector = new PatchGanDetector(options);
        detector.Fit(data);
        return Snapshot(detector);
    }

    private static Dictionary<string, float[]> Snapshot(PatchGanDetector detector) =>
        detector.Network.state_dict().ToDictionary(p => p.Key, p => TensorData.ToArray(p.Value));
}
