using System.Diagnostics;
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
    private readonly InputPreparation _input;
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
        _input = new InputPreparation(Preprocessing);
    }

    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public abstract bool ProducesAnomalyMaps { get; }

    /// <summary>The options this detector was built with (a private copy).</summary>
    public TOptions Options { get; }

    /// <summary>The preprocessing every image goes through.</summary>
    public PreprocessingPipeline Preprocessing { get; }

    /// <inheritdoc/>
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
            var (train, validation) = TrainingDataSplit.SplitValidation(data, Options);
            if (Device.type == DeviceType.CPU)
            {
                // Refused before anything is loaded; GPU memory is the device's own and is not estimated here.
                TrainingMemoryEstimate.ThrowIfTooLarge(Options, Kind, train.Count + validation.Count + (data.Unlabeled?.Count ?? 0));
            }

            var normal = TrainingImageSet.Load(train, Preprocessing, cancellationToken);
            var held = TrainingImageSet.Load(validation, Preprocessing, cancellationToken);
            var unlabeled = data.Unlabeled is null ? null : TrainingImageSet.Load(TrainingDataSplit.WithoutHeldOut(data.Unlabeled, validation, Logger), Preprocessing, cancellationToken);
            DetectorLog.TrainingStarted(Logger, Kind, normal.Count, held.Count, unlabeled?.Count ?? 0);

            var clock = Stopwatch.StartNew();
            try
            {
                TorchRuntime.SetCpuThreads(Options.Threads);

                // Gradient recording is per thread: a caller's no_grad scope would otherwise fail training at its first backward.
                using var recording = torch.enable_grad();
                var summary = Train(new TrainingContext(normal, unlabeled, held, new RandomSource(Options.Seed), Device, Logger), progress, cancellationToken);
                LastTraining = summary with { Elapsed = clock.Elapsed };
                DetectorLog.TrainingFinished(Logger, Kind, summary.Steps, clock.Elapsed);

                // The validation images were prepared once, above, for training's model selection too.
                _calibration = CreateCalibrationFitting().Fit(validation, held.Original, (start, count) => ScoreBatch(() => held.Range(start, count), count), cancellationToken);
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
                var scored = ScorePrepared(_input.PrepareBatch(images, start, count));
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
        return new DetectorEvaluation(Options.BatchSize, PredictBatch, _input).Run(testSet, progress, cancellationToken);
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
        var images = Enumerable.Range(0, validation.Count).Select(i => validation[i].LoadImage()).ToList();
        _calibration = CreateCalibrationFitting().Fit(validation, i => images[i], (start, count) => ScorePrepared(_input.PrepareBatch(images, start, count)), cancellationToken);
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

    /// <summary>Puts back the seed's initial weights of the saved network (<see cref="DetectorOptions.CreateSavedNetwork"/>),
    /// the ones a new detector starts from, so that a second Fit gives what a first would (see <see cref="IAnomalyDetector.Fit"/>).</summary>
    /// <exception cref="InvalidOperationException">The options build no saved network.</exception>
    protected void ResetToInitialWeights()
    {
        using var scope = torch.NewDisposeScope();
        using var initial = Options.CreateSavedNetwork()
            ?? throw new InvalidOperationException($"{GetType().Name}'s options build no saved network, so there are no initial weights to reset to.");
        ImportWeights(StateDicts.Export(initial));
    }

    /// <summary>Reads the model file at <paramref name="path"/> into a detector built by <paramref name="create"/>,
    /// naming the file in every error.</summary>
    /// <typeparam name="TDetector">The detector type.</typeparam>
    /// <param name="path">The model file.</param>
    /// <param name="kind">The kind the file must hold.</param>
    /// <param name="create">Builds an untrained detector from options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    protected static async Task<TDetector> LoadAsync<TDetector>(string path, string kind, Func<TOptions, TDetector> create, CancellationToken cancellationToken)
        where TDetector : AnomalyDetectorBase<TOptions>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await LoadAsync(stream, path, kind, create, cancellationToken).ConfigureAwait(false);
        }
    }

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
        var (detector, calibration) = DetectorModelFile.Restore(manifest, weights, sourceName, (TOptions options) =>
        {
            var built = create(options);
            built.ImportWeights(weights);
            return built;
        });
        detector._calibration = calibration;
        detector.LastTraining = manifest.Training;
        return detector;
    }

    private ModelManifest CreateManifest() => DetectorModelFile.CreateManifest(Kind, Options, Preprocessing, Calibration, LastTraining);

    private CalibrationFitting CreateCalibrationFitting() => new(Options, _input, ProducesAnomalyMaps, Logger);

    private DetectorScores ScorePrepared(ImageData[] prepared) => ScoreBatch(() => ImageData.ToBatchTensor(prepared), prepared.Length);

    /// <summary>Scores a batch of <paramref name="count"/> prepared images; the CPU tensor is made inside the scope
    /// that frees it.</summary>
    private DetectorScores ScoreBatch(Func<Tensor> batch, int count)
    {
        TorchRuntime.SetCpuThreads(Options.Threads);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var scored = Score(batch().to(Device));
        if (scored.Scores.Length != count)
        {
            throw new InvalidOperationException($"{Kind} returned {scored.Scores.Length} scores for a batch of {count}.");
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
            score = scored.Returned(index, calibration.MapBaseline, Options.Calibration.MapScoreTopFraction, out var values);
            map = AnomalyMap.From(scored.MapWidth, scored.MapHeight, values);
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
