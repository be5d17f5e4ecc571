using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.Engine;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Sagan.Tests;

public class SaganDetectorTests
{
    private static readonly Lazy<SaganDetector> Fitted = new(() =>
    {
        var detector = new SaganDetector(Tiny.Options());
        detector.Fit(Tiny.Data());
        return detector;
    });

    private static IReadOnlyList<ImageData> TestImages { get; } =
        [.. SyntheticScans.GradientDataset("test_normal", 3, Tiny.Size, 40, abnormal: false).Concat(SyntheticScans.GradientDataset("test_abnormal", 3, Tiny.Size, 41, abnormal: true)).Select(i => i.LoadImage())];

    [Fact]
    public void Predict_ScoreIsHalfTheMeanAbsoluteRestorationErrorAndMapIsThatError()
    {
        var detector = Fitted.Value;
        var image = TestImages[4];

        var prediction = detector.Predict(image);

        var x = ImageData.ToBatchTensor([detector.Preprocessing.Apply(image)]);
        using var noGrad = torch.no_grad();
        var error = (x - detector.Generator.Restore(x)).abs();
        Assert.Equal(error.mean().item<float>() / 2, prediction.Score, 6);
        Assert.Equal(TensorData.ToArray(error), prediction.Map!.ToArray());
        Assert.Equal("sagan", detector.Kind);
        Assert.True(detector.ProducesAnomalyMaps);
    }

    [Fact]
    public void Predict_WithSmoothingAndTopFraction_MapIsTheBlurredErrorAndScoreHalfTheMeanOfItsTop()
    {
        var options = Tiny.Options();
        options.MapSmoothingSigma = 1.5;
        options.ScoreTopFraction = 0.25;
        var detector = new SaganDetector(options);
        detector.Fit(Tiny.Data());
        var image = TestImages[4];

        var prediction = detector.Predict(image);

        var x = ImageData.ToBatchTensor([detector.Preprocessing.Apply(image)]);
        using var noGrad = torch.no_grad();
        using var blur = new GaussianBlur2d(1.5);
        var expectedMap = TensorData.ToArray(blur.forward((x - detector.Generator.Restore(x)).abs()));
        var top = expectedMap.OrderDescending().Take(expectedMap.Length / 4).Select(v => (double)v).Average();
        Assert.Equal(expectedMap, prediction.Map!.ToArray());
        Assert.Equal(top / 2, prediction.Score, 5);
    }

    [Fact]
    public void Fit_InsideTheCallersNoGradScope_TrainsAsOutsideIt()
    {
        var absolute = Fitted.Value;
        var detector = new SaganDetector(Tiny.Options());
        using (torch.no_grad())
        {
            detector.Fit(Tiny.Data());
        }

        var image = TestImages[4];
        Assert.Equal(absolute.Predict(image).Map!.ToArray(), detector.Predict(image).Map!.ToArray());
    }

    [Theory]
    [InlineData(ResidualPolarity.Brighter)]
    [InlineData(ResidualPolarity.Darker)]
    public void Predict_OneSidedPolarity_MapIsThatSideOfTheResidualAndTrainingIsUnchanged(ResidualPolarity polarity)
    {
        var options = Tiny.Options();
        options.ResidualPolarity = polarity;
        var detector = new SaganDetector(options);
        detector.Fit(Tiny.Data());
        var image = TestImages[4];

        var prediction = detector.Predict(image);

        var absolute = Fitted.Value;
        var x = ImageData.ToBatchTensor([detector.Preprocessing.Apply(image)]);
        using var noGrad = torch.no_grad();
        var restored = detector.Generator.Restore(x);
        Assert.Equal(TensorData.ToArray(absolute.Generator.Restore(x)), TensorData.ToArray(restored));
        var difference = x - restored;
        var side = polarity == ResidualPolarity.Brighter ? difference.relu() : difference.neg().relu();
        var expected = TensorData.ToArray(side);
        Assert.Equal(expected, prediction.Map!.ToArray());
        Assert.Equal(expected.Average() / 2, prediction.Score, 6);
        Assert.Contains(expected, v => v == 0);
        Assert.Contains(expected, v => v > 0);
    }

    [Fact]
    public void Predict_ByDefault_IsDeterministic_WithTestStochasticMask_Varies()
    {
        var images = TestImages.Take(2).ToList();
        var deterministic = Fitted.Value;
        Assert.Equal(deterministic.PredictBatch(images).Select(p => p.Score), deterministic.PredictBatch(images).Select(p => p.Score));

        var options = Tiny.Options();
        options.TestStochasticMask = true;
        var stochastic = new SaganDetector(options);
        stochastic.Fit(Tiny.Data());
        Assert.NotEqual(stochastic.PredictBatch(images).Select(p => p.Score), stochastic.PredictBatch(images).Select(p => p.Score));
    }

    [Fact]
    public async Task SaveThenLoad_GivesIdenticalPredictionsAndOptions()
    {
        var detector = Fitted.Value;
        using var file = new MemoryStream();
        await detector.SaveAsync(file);
        file.Position = 0;

        var loaded = await SaganDetector.LoadAsync(file);

        var expected = detector.PredictBatch(TestImages);
        var actual = loaded.PredictBatch(TestImages);
        Assert.Equal(expected.Select(p => p.Score), actual.Select(p => p.Score));
        Assert.Equal(expected.Select(p => p.Map!.ToArray()), actual.Select(p => p.Map!.ToArray()));
        Assert.Equal(detector.Calibration, loaded.Calibration);
        Assert.Equal((4, 1, 5), (loaded.Options.ConvDim, loaded.Options.RepeatNum, loaded.Options.CriticRepeatNum));
        Assert.Equal(detector.LastTraining!.Steps, loaded.LastTraining!.Steps);
    }

    [Fact]
    public async Task LoadAsync_ModelOfAnotherWidth_ThrowsNamingTheMismatch()
    {
        using var file = new MemoryStream();
        await Fitted.Value.SaveAsync(file);
        var (manifest, weights) = await ModelFile.ReadAsync(new MemoryStream(file.ToArray()), "model");
        var renamed = weights.ToDictionary(p => p.Key.Replace("generator.head.weight", "generator.tail.weight", StringComparison.Ordinal), p => p.Value);
        using var damaged = new MemoryStream();
        await ModelFile.WriteAsync(damaged, manifest, renamed);
        damaged.Position = 0;

        var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => SaganDetector.LoadAsync(damaged));

        Assert.Contains("head.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("tail.weight", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void Fit_InterruptedThenResumed_MatchesAnUninterruptedRunBitForBit(double generatorAverageDecay)
    {
        var folder = Directory.CreateTempSubdirectory("sagan-resume");
        try
        {
            var uninterruptedOptions = Tiny.Options(iterations: 6);
            uninterruptedOptions.GeneratorAverageDecay = generatorAverageDecay;
            var uninterrupted = new SaganDetector(uninterruptedOptions);
            uninterrupted.Fit(Tiny.Data());

            var options = Tiny.Options(iterations: 6);
            options.GeneratorAverageDecay = generatorAverageDecay;
            options.CheckpointDirectory = folder.FullName;
            options.CheckpointInterval = 3;
            using var cancel = new CancellationTokenSource();
            var interrupted = new SaganDetector(options);
            Assert.Throws<OperationCanceledException>(() => interrupted.Fit(Tiny.Data(), new CancelAt(3, cancel), cancel.Token));
            Assert.True(File.Exists(Path.Combine(folder.FullName, SaganTrainer.CheckpointFileName)));

            var resumed = new SaganDetector(options);
            var steps = new List<long>();
            resumed.Fit(Tiny.Data(), new Recorder(steps));

            Assert.Equal([4L, 5, 6], steps);
            Assert.Equal(SaganTrainerTests.Snapshot(uninterrupted.Generator), SaganTrainerTests.Snapshot(resumed.Generator));
            Assert.Equal(uninterrupted.PredictBatch(TestImages).Select(p => p.Score), resumed.PredictBatch(TestImages).Select(p => p.Score));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Fit_CheckpointOfOtherSettings_RefusesToResume()
    {
        var error = ResumeRefusal(options => options.LearningRate = 1e-3);

        Assert.Matches(@"lr \S+ in the checkpoint, 0\.001 in this run", error.Message);
        Assert.Contains("CheckpointDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CheckpointOfTheAuthorsCriticSlope_RefusesToResumeWithAnother()
    {
        // The default slope leaves the fingerprint as it was, so only a changed slope names itself.
        var error = ResumeRefusal(options => options.CriticNegativeSlope = 0.2);

        Assert.Contains("criticSlope unset in the checkpoint, 0.2 in this run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SteeperCriticSlope_TrainsTheGeneratorDifferently()
    {
        // The generator's adversarial gradient passes through the critic, so the slope must change its weights.
        var authors = new SaganDetector(Tiny.Options(iterations: 2));
        var steeperOptions = Tiny.Options(iterations: 2);
        steeperOptions.CriticNegativeSlope = 0.2;
        var steeper = new SaganDetector(steeperOptions);

        authors.Fit(Tiny.Data());
        steeper.Fit(Tiny.Data());

        Assert.NotEqual(SaganTrainerTests.Snapshot(authors.Generator), SaganTrainerTests.Snapshot(steeper.Generator));
    }

    [Fact]
    public void Fit_TrainsTheDetectorsGeneratorInPlace_FromTheSeedsInitialWeightsEachTime()
    {
        var detector = new SaganDetector(Tiny.Options(iterations: 2));
        var generator = detector.Generator;

        detector.Fit(Tiny.Data());
        var once = SaganTrainerTests.Snapshot(generator);
        detector.Fit(Tiny.Data());

        Assert.Same(generator, detector.Generator);
        Assert.Equal(once, SaganTrainerTests.Snapshot(generator));
    }

    [Fact]
    public void Fit_WithoutUnlabeledPool_TrainsOnTheNormalImagesAndWarns()
    {
        var logger = new EventRecorder();
        var detector = new SaganDetector(Tiny.Options(iterations: 2), logger);

        detector.Fit(new TrainingData(Tiny.Data().Normal));

        Assert.True(float.IsFinite(detector.Predict(SyntheticScans.Gradient(new RandomSource(1), Tiny.Size, abnormal: false)).Score));
        Assert.Single(logger.Events, e => e.Id == 2000 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public void Fit_PoolHoldingTheHeldOutImages_TrainsWithoutThem()
    {
        // A pool made of the labelled normal set itself holds the 4 images Fit holds out for calibration.
        var logger = new EventRecorder();
        var normal = Tiny.Data().Normal;
        var pool = UnlabeledPoolBuilder.Build(normal.Count, new ImageDataset("none", []), normal, abnormalRatio: 0);

        new SaganDetector(Tiny.Options(iterations: 1), logger).Fit(new TrainingData(normal, pool));

        Assert.Equal("Left 4 of the 16 unlabeled images out of training: they are held-out validation images", Assert.Single(logger.Events, e => e.Id == 1004).Message);
        Assert.Contains(logger.Events, e => e.Id == 1000 && e.Message.Contains("12 images (4 held out for validation, 12 unlabeled)", StringComparison.Ordinal));
    }

    /// <summary>Trains two iterations into a checkpoint folder, changes the options and returns the error of fitting again.</summary>
    private static InvalidCheckpointException ResumeRefusal(Action<SaganOptions> change)
    {
        var folder = Directory.CreateTempSubdirectory("sagan-stale");
        try
        {
            var options = Tiny.Options(iterations: 2);
            options.CheckpointDirectory = folder.FullName;
            new SaganDetector(options).Fit(Tiny.Data());

            change(options);
            return Assert.Throws<InvalidCheckpointException>(() => new SaganDetector(options).Fit(Tiny.Data()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed class EventRecorder : ILogger
    {
        public List<(int Id, LogLevel Level, string Message)> Events { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Add((eventId.Id, logLevel, formatter(state, exception)));
    }

    private sealed class Recorder(List<long> steps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => steps.Add(value.Step);
    }

    private sealed class CancelAt(long step, CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                cancel.Cancel();
            }
        }
    }
}
