using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>The contract every detector honours: fit, progress, cancellation, save/load, thread safety, calibration, DI.</summary>
public class DetectorConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_ReportsProgressEveryStepAndCalibrates(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.Create(3);
        var reports = new List<TrainingProgress>();
        detector.Fit(ConformanceCases.Data(c), new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.NotEmpty(reports);
        Assert.Equal(Enumerable.Range(1, reports.Count).Select(i => (long)i), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.All(r.Losses.Values, v => Assert.True(double.IsFinite(v))));
        Assert.True(double.IsFinite(detector.Calibration.Image.Threshold));
        Assert.Equal(ThresholdSource.NormalPercentile, detector.Calibration.Image.Source);
        Assert.Null(reports[0].EstimatedRemaining);
        Assert.All(reports.Skip(1), r => Assert.NotNull(r.EstimatedRemaining));
        if (c.Name != "template")
        {
            // Progress displays explain every loss a built-in detector reports.
            Assert.All(reports[^1].Losses.Keys, loss => Assert.NotNull(TrainingLossGlossary.Describe(loss)));
        }
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_GivesCalibratedScoreLabelAndMap(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var predictions = detector.PredictBatch(SyntheticImages.TestSet(c.ImageSize, c.Channels, 5).Select(i => i.LoadImage()).ToList());

        foreach (var p in predictions)
        {
            Assert.True(float.IsFinite(p.Score));
            Assert.Equal(p.Score >= p.Threshold, p.IsAnomalous);
            Assert.Equal(p.IsAnomalous, p.NormalizedScore >= 0.5f);
            Assert.NotNull(p.PValue);
            Assert.Equal(detector.ProducesAnomalyMaps, p.Map is not null);
            if (p.Map is { } map)
            {
                Assert.Equal(c.ImageSize, map.Width);
                Assert.Equal(c.ImageSize, map.Height);
                Assert.All(map.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
        }

        // Normalising keeps the raw scores' order (ties appear only where it clamps to 0 or 1).
        var normalizedByScore = predictions.OrderBy(p => p.Score).Select(p => p.NormalizedScore).ToList();
        Assert.Equal(normalizedByScore.Order(), normalizedByScore);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task SaveThenLoad_ReproducesPredictionsBitForBit(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 6).Select(i => i.LoadImage()).ToList();
        using var file = new MemoryStream();
        await detector.SaveAsync(file);
        file.Position = 0;
        var loaded = await c.Load(file);

        Assert.Equal(c.Kind, loaded.Kind);
        Assert.Equal(detector.Calibration, loaded.Calibration);
        AssertIdentical(detector.PredictBatch(images), loaded.PredictBatch(images));
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task SaveToPath_InterruptedSave_LeavesPreviousFileIntact(string name)
    {
        var detector = ConformanceCases.FittedDetector(name);
        var folder = Directory.CreateTempSubdirectory("adconf");
        try
        {
            var path = Path.Combine(folder.FullName, "model.adm");
            await detector.SaveAsync(path);
            var before = await File.ReadAllBytesAsync(path);
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => detector.SaveAsync(path, cancelled.Token));
            Assert.Equal(before, await File.ReadAllBytesAsync(path));
            Assert.Single(folder.GetFiles());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task Load_TruncatedOrForeignFile_ThrowsInvalidModelFile(string name)
    {
        var c = ConformanceCases.Get(name);
        using var file = new MemoryStream();
        await ConformanceCases.FittedDetector(name).SaveAsync(file);
        var bytes = file.ToArray();

        var truncated = await Assert.ThrowsAsync<InvalidModelFileException>(() => c.Load(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.Contains("damaged", truncated.Message);

        var other = ConformanceCases.All.FirstOrDefault(o => o.Kind != c.Kind) ?? c with { Kind = "other" };
        using var foreign = new MemoryStream();
        var manifest = (await ModelFile.ReadAsync(new MemoryStream(bytes), "test")).Manifest with { Kind = other.Kind };
        await ModelFile.WriteAsync(foreign, manifest, new Dictionary<string, TorchSharp.torch.Tensor>());
        foreign.Position = 0;
        var wrongKind = await Assert.ThrowsAsync<InvalidModelFileException>(() => c.Load(foreign));
        Assert.Contains($"'{other.Kind}'", wrongKind.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void PredictBatch_FromManyThreads_MatchesSequential(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 8).Select(i => i.LoadImage()).ToList();
        var sequential = images.Select(detector.Predict).ToList();
        var parallel = new AnomalyPrediction[images.Count];
        Parallel.For(0, images.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var index = i % images.Count;
            var p = detector.Predict(images[index]);
            if (i >= images.Count * 3)
            {
                parallel[index] = p;
            }
        });

        AssertIdentical(sequential, parallel);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_CancelledAfterFirstStep_StopsWithOperationCanceled(string name)
    {
        var c = ConformanceCases.Get(name);
        using var cancellation = new CancellationTokenSource();
        var steps = 0;
        var detector = c.Create(4);
        Assert.ThrowsAny<OperationCanceledException>(() => detector.Fit(ConformanceCases.Data(c), new SynchronousProgress<TrainingProgress>(_ =>
        {
            steps++;
            cancellation.Cancel();
        }), cancellation.Token));
        Assert.Equal(1, steps);
        Assert.False(detector.IsFitted);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_SameSeed_GivesIdenticalPredictions(string name)
    {
        var c = ConformanceCases.Get(name);
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 9).Select(i => i.LoadImage()).ToList();
        var first = c.Create(21);
        var second = c.Create(21);
        first.Fit(ConformanceCases.Data(c));
        second.Fit(ConformanceCases.Data(c));
        AssertIdentical(first.PredictBatch(images), second.PredictBatch(images));
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Evaluate_LabelledSet_ReportsImageAndPixelMetrics(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var evaluated = new List<int>();
        var testSet = SyntheticImages.TestSet(c.ImageSize, c.Channels, 12);
        var report = detector.Evaluate(testSet, new SynchronousProgress<int>(evaluated.Add));

        Assert.Equal(16, evaluated[^1]);
        Assert.Equal(8, report.Image.NormalCount);
        Assert.Equal(8, report.Image.AnomalousCount);
        // The report's AUROC is the one the detector's own scores of the same images give, counted pair by pair.
        var scores = detector.PredictBatch([.. testSet.Select(i => i.LoadImage())]).Select(p => (double)p.Score);
        var expected = ReferenceMetrics.PairwiseAuroc(scores.Zip(testSet, (s, i) => (s, i.Label == AnomalyLabel.Abnormal)));
        Assert.Equal(expected, report.Image.Auroc, 12);
        Assert.Equal(detector.ProducesAnomalyMaps, report.Pixel is not null);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Evaluate_MaskOfAnotherSizeThanItsImage_IsRefusedNotStretched(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        if (!detector.ProducesAnomalyMaps)
        {
            return; // masks are read only for pixel metrics
        }

        var items = SyntheticImages.TestSet(c.ImageSize, c.Channels, 12).ToList();
        var anomalous = items.First(i => i.Mask is not null);
        var halfMask = ImageData.FromPlanar(c.ImageSize / 2, c.ImageSize / 2, 1, new float[c.ImageSize / 2 * (c.ImageSize / 2)]);
        items[items.IndexOf(anomalous)] = new LabeledImage(anomalous.Name, anomalous.Label, anomalous.Image, ImageSource.FromImage(halfMask));

        var error = Assert.Throws<InvalidDatasetException>(() => detector.Evaluate(new ImageDataset("test", items)));

        Assert.Contains($"the mask of '{anomalous.Name}' is {c.ImageSize / 2}×{c.ImageSize / 2}, but its image is {c.ImageSize}×{c.ImageSize}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Recalibrate_ManualThreshold_ChangesLabelsWithoutRetraining(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.Create(7);
        detector.Fit(ConformanceCases.Data(c));
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 13).Select(i => i.LoadImage()).ToList();
        var before = detector.PredictBatch(images);
        var lowest = before.Min(p => p.Score);

        detector.Recalibrate(detector.Calibration with { Image = detector.Calibration.Image.WithThreshold(lowest) });
        var after = detector.PredictBatch(images);

        Assert.All(after, p => Assert.True(p.IsAnomalous));
        Assert.Equal(before.Select(p => p.Score), after.Select(p => p.Score));
        Assert.Equal(ThresholdSource.Manual, detector.Calibration.Image.Source);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void DependencyInjection_ResolvesByKeyAndThroughProvider(string name)
    {
        var c = ConformanceCases.Get(name);
        var services = new ServiceCollection();
        var builder = services.AddAnomalyDetection();
        c.Register(builder, "first", o => o.Seed = 1);
        c.Register(builder, "second", o => o.Seed = 2);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var byKey = provider.GetRequiredKeyedService<IAnomalyDetector>("first");
        var registry = provider.GetRequiredService<IAnomalyDetectorProvider>();
        Assert.Same(byKey, registry.Get("first"));
        Assert.NotSame(byKey, registry.Get("second"));
        Assert.Equal(c.Kind, byKey.Kind);
        Assert.False(byKey.IsFitted);
        var missing = Assert.Throws<KeyNotFoundException>(() => registry.Get("third"));
        Assert.Contains("'first', 'second'", missing.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void DependencyInjection_InvalidOptions_FailValidationQuotingTheValue(string name)
    {
        var c = ConformanceCases.Get(name);
        var services = new ServiceCollection();
        c.Register(services.AddAnomalyDetection(), "broken", o => o.BatchSize = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAnomalyDetectorProvider>().Get("broken"));
        Assert.Contains("BatchSize must be in [1, 4096] (was 0)", error.Message);
        Assert.Contains("'broken'", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task DependencyInjection_FromFile_ResolvesTheTrainedModel(string name)
    {
        var c = ConformanceCases.Get(name);
        var trained = ConformanceCases.FittedDetector(name);
        var folder = Directory.CreateTempSubdirectory("adconf");
        try
        {
            var path = Path.Combine(folder.FullName, "trained.adm");
            await trained.SaveAsync(path);
            var services = new ServiceCollection();
            var builder = services.AddAnomalyDetection();
            c.Register(builder, "untrained", _ => { });
            builder.FromFile("production", path);
            using var provider = services.BuildServiceProvider();

            var loaded = provider.GetRequiredKeyedService<IAnomalyDetector>("production");
            var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 14).Select(i => i.LoadImage()).ToList();
            Assert.True(loaded.IsFitted);
            AssertIdentical(trained.PredictBatch(images), loaded.PredictBatch(images));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task Host_InvalidOptions_FailsOnStart(string name)
    {
        var c = ConformanceCases.Get(name);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        c.Register(builder.Services.AddAnomalyDetection(), "broken", o => o.ImageSize = 3);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("ImageSize must be in [8, 4096] (was 3)", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_TooFewImagesToHoldOutValidation_ThrowsClearDatasetError(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.Create(5);
        var tiny = SyntheticImages.Dataset("tiny", 3, c.ImageSize, c.Channels, 2, anomalous: false);

        var error = Assert.Throws<AnomalyDetection.Data.InvalidDatasetException>(() => detector.Fit(ConformanceCases.Data(c) with { Normal = tiny }));
        Assert.Contains("3 image(s) gives 0 for validation", error.Message);
        Assert.False(detector.IsFitted);
    }

    [Fact]
    public void Fit_ValidationScoresAllEqual_ThrowsInsteadOfCalibratingOnNothing()
    {
        // The template detector scores identical images bit-identically; GAN detectors may differ in the last bits
        // between batch positions, which still leaves a (tiny) score range to calibrate on.
        var c = ConformanceCases.Get("template");
        var detector = c.Create(6);
        var image = SyntheticImages.Create(new RandomSource(3), c.ImageSize, c.Channels, anomalous: false, out _);
        var identical = AnomalyDetection.Data.ImageDataset.FromImages("identical", [image, image, image], AnomalyDetection.Data.AnomalyLabel.Normal);

        var error = Assert.Throws<AnomalyDetection.Data.InvalidDatasetException>(() => detector.Fit(ConformanceCases.Data(c) with { Validation = identical }));
        Assert.Contains("all 3 validation images score", error.Message);
        Assert.False(detector.IsFitted);
    }

    private static void AssertIdentical(IReadOnlyList<AnomalyPrediction> expected, IReadOnlyList<AnomalyPrediction> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].IsAnomalous, actual[i].IsAnomalous);
            Assert.Equal(expected[i].Map?.ToArray(), actual[i].Map?.ToArray());
        }
    }
}
