using System.Diagnostics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Text.Json;
using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// The fitting, calibration, prediction, evaluation and persistence flow every detector shares. A detector supplies its
/// kind, its training loop, its scoring of a preprocessed batch and its weights.
/// </summary>
/// <typeparam name="TOptions">The detector's options.</typeparam>
public abstract class AnomalyDetectorBase<TOptions> : IAnomalyDetector
    where TOptions : DetectorOptions
{
    private DetectorCalibration? _calibration;
    private int _training;
    private int _predicting;

    /// <summary>Snapshots <paramref name="options"/> and validates them.</summary>
    /// <param name="options">The settings; copied, so later changes do not affect this detector.</param>
    /// <param name="logger">Receives training and calibration messages; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message quotes each bad value.</exception>
    protected AnomalyDetectorBase(TOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Preprocessing = options.Preprocessing ?? options.DefaultPreprocessing();
        Options = JsonSerializer.Deserialize<TOptions>(JsonSerializer.Serialize(options, ModelFile.JsonOptions), ModelFile.JsonOptions)!;
        Options.Preprocessing = Preprocessing;
        Logger = logger ?? NullLogger.Instance;
        Device = TorchRuntime.ParseDevice(Options.Device);
    }

    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public abstract bool ProducesAnomalyMaps { get; }

    /// <summary>The options this detector was built with (a private copy).</summary>
    public TOptions Options { get; }

    /// <summary>The preprocessing every image goes through.</summary>
    public PreprocessingPipeline Preprocessing { get; }

    /// <summary>What the last training run did; null before training (or for a file saved without it).</summary>
    public TrainingSummary? LastTraining { get; private set; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Where the networks live and compute (from <see cref="DetectorOptions.Device"/>).</summary>
    protected torch.Device Device { get; }

    /// <inheritdoc/>
    public bool IsFitted => _calibration is not null;

    /// <inheritdoc/>
    public DetectorCalibration Calibration => _calibration ?? throw NotFitted();

    /// <inheritdoc/>
    public void Recalibrate(DetectorCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        _ = Calibration;
        _calibration = calibration;
    }

    /// <inheritdoc/>
    public void Fit(TrainingData data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Interlocked.Exchange(ref _training, 1) == 1)
        {
            throw new InvalidOperationException($"This {Kind} detector is already training.");
        }

        try
        {
            // Predictions already running finish on the old weights before training changes them; new ones are refused
            // from here on (see PredictBatch).
            SpinWait.SpinUntil(() => Volatile.Read(ref _predicting) == 0 || cancellationToken.IsCancellationRequested);
            cancellationToken.ThrowIfCancellationRequested();
            var (train, validation) = SplitValidation(data);
            if (Device.type == DeviceType.CPU)
            {
                // Refused before anything is loaded; GPU memory is the device's own and is not estimated here.
                TrainingMemoryEstimate.ThrowIfTooLarge(Options, Kind, train.Count + validation.Count + (data.Unlabeled?.Count ?? 0));
            }

            var normal = TrainingImageSet.Load(train, Preprocessing, cancellationToken);
            var held = TrainingImageSet.Load(validation, Preprocessing, cancellationToken);
            var unlabeled = data.Unlabeled is null ? null : TrainingImageSet.Load(WithoutHeldOut(data.Unlabeled, validation), Preprocessing, cancellationToken);
            DetectorLog.TrainingStarted(Logger, Kind, normal.Count, held.Count, unlabeled?.Count ?? 0);

            var clock = Stopwatch.StartNew();
            try
            {
                TorchRuntime.SetCpuThreads(Options.Threads);
                var summary = Train(new TrainingContext(normal, unlabeled, held, new RandomSource(Options.Seed), Device, Logger), progress, cancellationToken);
                LastTraining = summary with { Elapsed = clock.Elapsed };
                DetectorLog.TrainingFinished(Logger, Kind, summary.Steps, clock.Elapsed);

                _calibration = FitCalibration(validation, cancellationToken);
                DetectorLog.Calibrated(Logger, Kind, _calibration.Image.Threshold, _calibration.Image.Source.ToString());
            }
            catch
            {
                // The weights are now part-trained (or diverged): an earlier calibration no longer describes them.
                _calibration = null;
                LastTraining = null;
                throw;
            }
        }
        finally
        {
            Volatile.Write(ref _training, 0);
        }
    }

    /// <inheritdoc/>
    public AnomalyPrediction Predict(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PredictBatch([image])[0];
    }

    /// <inheritdoc/>
    public IReadOnlyList<AnomalyPrediction> PredictBatch(IReadOnlyList<ImageData> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var calibration = Calibration;

        // Counted before the training flag is read, as Fit sets the flag before it reads the count: either Fit waits
        // for this batch, or this batch sees the flag and is refused. Weights never change under a prediction.
        Interlocked.Increment(ref _predicting);
        try
        {
            ThrowIfTraining();
            var results = new AnomalyPrediction[images.Count];
            for (var start = 0; start < images.Count; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(Options.BatchSize, images.Count - start);
                var scored = ScorePrepared(PrepareBatch(images, start, count));
                for (var i = 0; i < count; i++)
                {
                    results[start + i] = ToPrediction(calibration, scored, i);
                }
            }

            return results;
        }
        finally
        {
            Interlocked.Decrement(ref _predicting);
        }
    }

    /// <inheritdoc/>
    public EvaluationReport Evaluate(IImageDataset testSet, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(testSet);
        var scores = new List<float>(testSet.Count);
        var labels = new List<bool>(testSet.Count);
        var pixels = new PixelScoreAccumulator();
        var anomaliesWithMasks = 0;
        var batch = new List<ImageData>(Options.BatchSize);
        var items = new List<LabeledImage>(Options.BatchSize);

        void Flush()
        {
            var predictions = PredictBatch(batch, cancellationToken);
            for (var i = 0; i < predictions.Count; i++)
            {
                var item = items[i];
                scores.Add(predictions[i].Score);
                labels.Add(item.Label == AnomalyLabel.Abnormal);
                if (predictions[i].Map is not { } map)
                {
                    continue;
                }

                if (item.Mask is not null)
                {
                    pixels.Add(map.Values, PreparedMask(item, batch[i], testSet.Name, map.Width, map.Height), map.Height, map.Width);
                    anomaliesWithMasks += item.Label == AnomalyLabel.Abnormal ? 1 : 0;
                }
                else if (item.Label == AnomalyLabel.Normal)
                {
                    pixels.AddNormal(map.Values);
                }
            }

            progress?.Report(scores.Count);
            batch.Clear();
            items.Clear();
        }

        foreach (var item in testSet)
        {
            if (item.Label is not (AnomalyLabel.Normal or AnomalyLabel.Abnormal))
            {
                throw new InvalidDatasetException(testSet.Name, $"image '{item.Name}' is labelled {item.Label}; evaluation needs normal or anomalous labels.");
            }

            items.Add(item);
            batch.Add(item.LoadImage());
            if (batch.Count == Options.BatchSize)
            {
                Flush();
            }
        }

        if (batch.Count > 0)
        {
            Flush();
        }

        var image = ImageLevelMetrics.Compute(scores.ToArray(), labels.ToArray());
        var pixel = anomaliesWithMasks > 0 ? pixels.ComputeMetrics() : null;
        return new EvaluationReport(image, pixel);
    }

    /// <inheritdoc/>
    public Task SaveAsync(Stream destination, CancellationToken cancellationToken = default) =>
        ModelFile.WriteAsync(destination, CreateManifest(), ExportWeights(), cancellationToken);

    /// <inheritdoc/>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        await ModelFile.WriteAsync(path, CreateManifest(), ExportWeights(), cancellationToken).ConfigureAwait(false);
        DetectorLog.Saved(Logger, Kind, path);
    }

    /// <summary>
    /// Fits the calibration (thresholds, score ranges, p-values) with the current weights, without training: for
    /// detectors whose weights came from elsewhere, such as an imported checkpoint. Clears <see cref="LastTraining"/>.
    /// </summary>
    /// <param name="validation">Held-out images, normal (and optionally labelled anomalous ones), as Fit's validation set.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <exception cref="InvalidDatasetException">The images are too few or all score the same.</exception>
    /// <exception cref="InvalidOperationException">The detector is training.</exception>
    protected void Calibrate(IImageDataset validation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ThrowIfTraining();
        _calibration = FitCalibration(validation, cancellationToken);
        LastTraining = null;
        DetectorLog.Calibrated(Logger, Kind, _calibration.Image.Threshold, _calibration.Image.Source.ToString());
    }

    /// <summary>Runs the detector's training loop on prepared data.</summary>
    /// <param name="context">Prepared images, the seeded random source and the logger.</param>
    /// <param name="progress">Report after every step.</param>
    /// <param name="cancellationToken">Check at least once per step.</param>
    /// <returns>What the run did.</returns>
    protected abstract TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Scores a preprocessed batch (N, C, H, W). Called with graph recording off, inside a dispose scope; must
    /// not change any state, since many threads may call it at once.</summary>
    /// <param name="batch">The preprocessed images, on <see cref="Device"/>.</param>
    /// <returns>Raw scores and, for localising detectors, maps at the network's resolution.</returns>
    protected abstract DetectorScores Score(Tensor batch);

    /// <summary>The trained weights by name, as CPU tensors the caller owns (see <see cref="StateDicts.Export"/>).</summary>
    protected abstract IReadOnlyDictionary<string, Tensor> ExportWeights();

    /// <summary>Loads weights by name, strictly: every expected tensor present with its shape, nothing else (see
    /// <see cref="StateDicts.LoadStrict"/>).</summary>
    /// <param name="weights">The weights.</param>
    /// <exception cref="StateDictMismatchException">A tensor is missing, unexpected or misshaped.</exception>
    protected abstract void ImportWeights(IReadOnlyDictionary<string, Tensor> weights);

    /// <summary>Reads a model file into a detector built by <paramref name="create"/> from the stored options.</summary>
    /// <typeparam name="TDetector">The detector type.</typeparam>
    /// <param name="source">The model file.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="kind">The kind the file must hold.</param>
    /// <param name="create">Builds an untrained detector from options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    protected static async Task<TDetector> LoadAsync<TDetector>(Stream source, string sourceName, string kind, Func<TOptions, TDetector> create, CancellationToken cancellationToken)
        where TDetector : AnomalyDetectorBase<TOptions>
    {
        ArgumentNullException.ThrowIfNull(create);
        var (manifest, weights) = await ModelFile.ReadAsync(source, sourceName, kind, cancellationToken).ConfigureAwait(false);
        try
        {
            var options = manifest.Options.Deserialize<TOptions>(ModelFile.JsonOptions)
                ?? throw new InvalidModelFileException(sourceName, "the manifest holds no options.");
            options.Preprocessing = PreprocessingPipeline.FromJson(manifest.Preprocessing.GetRawText());
            TorchRuntime.EnsureAvailable();
            if (options.Device is { } device && device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
            {
                // A model file is not tied to a device: one trained on a GPU scores on a machine without one.
                options.Device = "cpu";
            }

            ThrowIfWeightsTooFew(options, weights, sourceName);
            var detector = create(options);
            detector.ImportWeights(weights);
            detector._calibration = ManifestCalibration.Read(manifest.Calibration, sourceName);
            detector.LastTraining = manifest.Training;
            return detector;
        }
        catch (Exception ex) when (ex is StateDictMismatchException or JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidModelFileException(sourceName, ex.Message, ex);
        }
    }

    /// <summary>
    /// Refuses options that describe a network larger than the weights stored with them, before that network is built:
    /// a forged manifest would otherwise make the loader allocate whatever the option ranges allow.
    /// </summary>
    private static void ThrowIfWeightsTooFew(TOptions options, IReadOnlyDictionary<string, Tensor> weights, string sourceName)
    {
        options.ThrowIfInvalid();
        var stored = weights.Values.Sum(w => w.numel());
        var needed = SavedWeightCount.Of(options);
        if (needed > stored)
        {
            throw new InvalidModelFileException(sourceName,
                $"its options describe a network of at least {needed} weight elements, but the file stores {stored}; the manifest does not belong to these weights.");
        }
    }

    private ModelManifest CreateManifest()
    {
        var calibration = Calibration;
        return new ModelManifest(
            ModelFile.CurrentFormatVersion,
            Kind,
            ModelFile.LibraryVersion,
            DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(Options, ModelFile.JsonOptions),
            JsonDocument.Parse(Preprocessing.ToJson()).RootElement.Clone(),
            JsonSerializer.SerializeToElement(calibration, ModelFile.JsonOptions),
            Options.Seed,
            TorchRuntime.CpuThreads,
            LastTraining);
    }

    private (IImageDataset Train, IImageDataset Validation) SplitValidation(TrainingData data)
    {
        if (data.Normal.Count == 0)
        {
            throw new InvalidDatasetException(data.Normal.Name, "it holds no images; training needs normal images.");
        }

        if (data.Validation is { } validation)
        {
            return (data.Normal, validation);
        }

        var held = (int)Math.Round(Options.ValidationFraction * data.Normal.Count, MidpointRounding.AwayFromZero);
        if (held < 2 || held >= data.Normal.Count)
        {
            throw new InvalidDatasetException(data.Normal.Name,
                $"holding out ValidationFraction {Options.ValidationFraction} of its {data.Normal.Count} image(s) gives {held} for validation; " +
                "calibration needs at least 2 validation images and training at least 1 (change ValidationFraction or pass a validation set).");
        }

        var split = ValidationSplit.Carve(data.Normal, Options.ValidationFraction, Options.Seed);
        return (split.Train, split.Validation);
    }

    /// <summary>
    /// The unlabeled pool without the held-out validation images: a pool built from the labelled normal set may hold
    /// them, and a network that trained on them would calibrate its threshold on images it has seen.
    /// </summary>
    private IImageDataset WithoutHeldOut(IImageDataset unlabeled, IImageDataset validation)
    {
        var heldSources = validation.Select(item => item.Image).ToHashSet(ReferenceEqualityComparer.Instance);
        var heldFiles = validation.Select(item => item.Image.FilePath).OfType<string>().Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var kept = unlabeled.Where(item => !heldSources.Contains(item.Image)
            && !(item.Image.FilePath is { } file && heldFiles.Contains(Path.GetFullPath(file)))).ToList();
        if (kept.Count == unlabeled.Count)
        {
            return unlabeled;
        }

        DetectorLog.HeldOutImagesLeftOutOfPool(Logger, unlabeled.Count - kept.Count, unlabeled.Count);
        return new ImageDataset(unlabeled.Name, kept);
    }

    private DetectorCalibration FitCalibration(IImageDataset validation, CancellationToken cancellationToken)
    {
        var images = new List<ImageData>(validation.Count);
        var labels = new bool[validation.Count];
        for (var i = 0; i < validation.Count; i++)
        {
            images.Add(validation[i].LoadImage());
            labels[i] = validation[i].Label == AnomalyLabel.Abnormal;
        }

        var scores = new float[images.Count];
        var pixels = ProducesAnomalyMaps ? new PixelScoreAccumulator() : null;
        for (var start = 0; start < images.Count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(Options.BatchSize, images.Count - start);
            var scored = ScorePrepared(PrepareBatch(images, start, count));
            ThrowIfScoresNotFinite(scored, validation, start, count);
            scored.Scores.CopyTo(scores.AsSpan(start));
            if (pixels is not null && scored.Maps is not null)
            {
                int height = scored.MapHeight, width = scored.MapWidth;
                for (var i = 0; i < count; i++)
                {
                    var map = scored.Map(i);
                    if (validation[start + i].Mask is not null && labels[start + i])
                    {
                        pixels.Add(map, PreparedMask(validation[start + i], images[start + i], validation.Name, width, height), height, width);
                    }
                    else if (!labels[start + i])
                    {
                        pixels.AddNormal(map);
                    }
                }
            }
        }

        if (scores.Length > 0 && scores.AsSpan().IndexOfAnyExcept(scores[0]) < 0)
        {
            throw new InvalidDatasetException(validation.Name,
                $"all {scores.Length} validation images score {scores[0]}, so no threshold or score range can be fitted (too few or identical images, or a collapsed model).");
        }

        var calibrator = new ThresholdCalibrator(Options.Calibration, new ForwardingLogger<ThresholdCalibrator>(Logger));
        var normalScores = scores.Where((_, i) => !labels[i]).ToArray();
        return new DetectorCalibration(
            calibrator.FitImage(scores, labels),
            pixels is { PixelCount: > 0 } ? calibrator.FitPixel(pixels) : null,
            normalScores.Length > 0 ? PValueModel.Fit(Options.PValueMethod, normalScores) : null);
    }

    /// <summary>Refuses a trained model that scores validation images as NaN or infinite (its activations overflowed
    /// or it diverged without a loss showing it), instead of calibrating on those values.</summary>
    private static void ThrowIfScoresNotFinite(DetectorScores scored, IImageDataset validation, int start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var score = scored.Scores[i];
            var badMapValues = scored.Maps is null ? 0 : CountNonFinite(scored.Map(i));
            if (!float.IsFinite(score) || badMapValues > 0)
            {
                throw new TrainingDivergedException(
                    $"The trained model gives validation image '{validation[start + i].Name}' a score of {score} and {badMapValues} non-finite anomaly-map value(s): " +
                    "its activations overflowed or training diverged. Check the input intensities and the learning rate.");
            }
        }
    }

    private static int CountNonFinite(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return 0;
        }

        var bad = 0;
        foreach (var value in values)
        {
            bad += float.IsFinite(value) ? 0 : 1;
        }

        return bad;
    }

    /// <summary>The item's ground-truth mask through the preprocessing geometry, as one flag per map pixel.</summary>
    /// <exception cref="InvalidDatasetException">The mask is not of its image's size: stretching it would misplace the lesion.</exception>
    private bool[] PreparedMask(LabeledImage item, ImageData image, string datasetName, int width, int height)
    {
        var raw = item.Mask!.Load();
        if (raw.Width != image.Width || raw.Height != image.Height)
        {
            throw new InvalidDatasetException(datasetName, $"the mask of '{item.Name}' is {raw.Width}×{raw.Height}, but its image is {image.Width}×{image.Height}; a mask must have its image's size.");
        }

        var mask = Preprocessing.ApplyToMask(raw);
        if (mask.Width != width || mask.Height != height)
        {
            throw new InvalidDatasetException(datasetName, $"the mask of '{item.Name}' preprocesses to {mask.Width}×{mask.Height}, but the map is {width}×{height}.");
        }

        var plane = mask.Channel(0);
        var binary = new bool[plane.Length];
        for (var p = 0; p < binary.Length; p++)
        {
            binary[p] = plane[p] >= 0.5f;
        }

        return binary;
    }

    private ImageData[] PrepareBatch(IReadOnlyList<ImageData> images, int start, int count)
    {
        var prepared = new ImageData[count];
        for (var i = 0; i < count; i++)
        {
            var image = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images));
            ThrowIfNotFinite(image, start + i, "");
            prepared[i] = Preprocessing.Apply(image);
            ThrowIfNotFinite(prepared[i], start + i, " after preprocessing");
        }

        return prepared;
    }

    /// <summary>Refuses NaN or infinite samples, which would otherwise come out as a NaN score labelled normal.</summary>
    private static void ThrowIfNotFinite(ImageData image, int index, string stage)
    {
        var bad = CountNonFinite(image.Pixels);
        if (bad > 0)
        {
            throw new ArgumentException($"Image {index} ({image.Width}×{image.Height}×{image.Channels}) has {bad} NaN or infinite sample(s){stage}; detectors score finite intensities only.", "images");
        }
    }

    private DetectorScores ScorePrepared(ImageData[] prepared)
    {
        TorchRuntime.SetCpuThreads(Options.Threads);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var scored = Score(ImageData.ToBatchTensor(prepared).to(Device));
        if (scored.Scores.Length != prepared.Length)
        {
            throw new InvalidOperationException($"{Kind} returned {scored.Scores.Length} scores for a batch of {prepared.Length}.");
        }

        return scored;
    }

    private AnomalyPrediction ToPrediction(DetectorCalibration calibration, DetectorScores scored, int index)
    {
        var score = scored.Scores[index];
        AnomalyMap? map = null;
        bool[]? mask = null;
        float? pixelThreshold = null;
        if (scored.Maps is not null)
        {
            map = AnomalyMap.From(scored.MapWidth, scored.MapHeight, scored.Map(index));
            if (calibration.Pixel is { } pixel)
            {
                pixelThreshold = (float)pixel.Threshold;
                mask = map.ToMask(pixelThreshold.Value);
            }
        }

        return new AnomalyPrediction(
            score,
            (float)calibration.Image.Normalize(score),
            calibration.Image.IsAnomalous(score),
            (float)calibration.Image.Threshold,
            // A non-finite score is as unlike the normal ones as a score can be.
            float.IsFinite(score) ? calibration.ImagePValues?.PValue(score) : calibration.ImagePValues is null ? null : 0,
            map,
            mask,
            pixelThreshold);
    }

    private void ThrowIfTraining()
    {
        if (Volatile.Read(ref _training) == 1)
        {
            throw new InvalidOperationException($"This {Kind} detector is training; predict once Fit has returned.");
        }
    }

    private InvalidOperationException NotFitted() => new($"This {Kind} detector is not fitted: call Fit or load a trained model file first.");
}
