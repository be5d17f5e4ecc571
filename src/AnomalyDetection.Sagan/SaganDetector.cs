using System.Text.Json;
using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Interop;
using Microsoft.Extensions.Logging;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>
/// SAGAN (Zhang et al., MICCAI 2024): a semi-supervised detector that learns from normal images and an unlabeled mix
/// of normal and abnormal ones to restore any image to a healthy appearance, and scores the difference.
/// </summary>
/// <remarks>
/// <para>The anomaly map is |x − G(x)| per pixel (or the side of x − G(x) that <see cref="RestorationDetectorOptions.ResidualPolarity"/>
/// names), averaged over channels, at the network's resolution, smoothed by
/// <see cref="RestorationDetectorOptions.MapSmoothingSigma"/>; the score of an image x in [−1, 1] is the mean of the map's top
/// <see cref="RestorationDetectorOptions.ScoreTopFraction"/>, halved into [0, 1]. The defaults give the paper's mean|x − G(x)| / 2.</para>
/// <para>Scoring is deterministic: the generator's training-time input mixing is off (unless
/// <see cref="SaganOptions.TestStochasticMask"/>) and its instance norms use each image's own statistics, as in
/// training.</para>
/// <para>The generator lives on <see cref="DetectorOptions.Device"/>; the critic exists only during training.</para>
/// <para>Pass the unlabeled pool as <see cref="TrainingData.Unlabeled"/> (see <see cref="UnlabeledPoolBuilder"/>);
/// without one the detector trains with the normal images in its place.</para>
/// </remarks>
/// <example><code>
/// var detector = new SaganDetector(new SaganOptions { ConvDim = 16, MaxSteps = 1000 });
/// detector.Fit(new TrainingData(normalImages, unlabeled: UnlabeledPoolBuilder.Build(normalImages.Count, abnormal, normal)));
/// var prediction = detector.Predict(image);
/// </code></example>
public sealed class SaganDetector : AnomalyDetectorBase<SaganOptions>
{
    /// <summary>The kind stored in model files.</summary>
    public const string DetectorKind = "sagan";

    /// <summary>This kind for dependency injection, the CLI and the evaluation harness.</summary>
    public static DetectorDescriptor<SaganDetector, SaganOptions> Descriptor { get; } =
        new(DetectorKind, (options, logger) => new SaganDetector(options, logger), LoadAsync);

    private const string GeneratorPrefix = "generator.";

    private readonly RandomSource _scoringRandom;
    private readonly SaganGenerator _generator;
    private readonly GaussianBlur2d _smoothing;

    /// <summary>Creates an untrained detector.</summary>
    /// <param name="options">The settings; copied.</param>
    /// <param name="logger">Receives training messages; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message quotes each bad value.</exception>
    public SaganDetector(SaganOptions options, ILogger? logger = null)
        : base(options, logger)
    {
        _generator = new SaganGenerator(Options.Channels, Options.ConvDim, Options.RepeatNum, new RandomSource(Options.Seed));
        _generator.to(Device);
        _generator.eval();
        _scoringRandom = new RandomSource(~Options.Seed);
        _smoothing = new GaussianBlur2d(Options.MapSmoothingSigma);
    }

    /// <inheritdoc/>
    public override string Kind => DetectorKind;

    /// <inheritdoc/>
    public override bool ProducesAnomalyMaps => true;

    /// <summary>The generator; training updates it in place.</summary>
    internal SaganGenerator Generator => _generator;

    /// <summary>Reads a trained SAGAN model file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="logger">The new detector's logger.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    public static Task<SaganDetector> LoadAsync(string path, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(path, DetectorKind, options => new SaganDetector(options, logger), cancellationToken);

    /// <summary>Reads a trained SAGAN model from a stream.</summary>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="logger">The new detector's logger.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The data is damaged, of another kind or a newer format, or its weights do not fit.</exception>
    public static Task<SaganDetector> LoadAsync(Stream source, string sourceName = "stream", ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(source, sourceName, DetectorKind, options => new SaganDetector(options, logger), cancellationToken);

    /// <summary>
    /// Builds a detector from a generator checkpoint of the SAGAN authors' training code (<c>&lt;iteration&gt;-G.ckpt</c>,
    /// see <see cref="AuthorsGeneratorCheckpoint"/>) and calibrates it on normal images, without training. Save it with
    /// <c>SaveAsync</c>.
    /// </summary>
    /// <param name="checkpoint">The checkpoint read with <see cref="AuthorsGeneratorCheckpoint.Read"/>; its weights are copied.</param>
    /// <param name="normalImages">Normal images to calibrate the thresholds and p-values on (at least 2; typically a few hundred).</param>
    /// <param name="options">Settings for everything the checkpoint does not fix (image size, batch size, device,
    /// calibration); <see cref="DetectorOptions.Channels"/>, <see cref="SaganOptions.ConvDim"/> and
    /// <see cref="SaganOptions.RepeatNum"/> are taken from the checkpoint. Null for the defaults (64 × 64 images, as the authors train).</param>
    /// <param name="logger">The detector's logger.</param>
    /// <param name="cancellationToken">Cancels the calibration.</param>
    /// <returns>The calibrated detector.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidDatasetException">The normal images are too few or all score the same.</exception>
    public static SaganDetector FromAuthorsCheckpoint(AuthorsGeneratorCheckpoint checkpoint, IImageDataset normalImages, SaganOptions? options = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(normalImages);
        var settings = JsonSerializer.Deserialize<SaganOptions>(JsonSerializer.Serialize(options ?? new SaganOptions(), ModelFile.JsonOptions), ModelFile.JsonOptions)!;
        settings.Preprocessing = options?.Preprocessing;
        settings.Channels = checkpoint.Channels;
        settings.ConvDim = checkpoint.ConvDim;
        settings.RepeatNum = checkpoint.RepeatNum;
        var detector = new SaganDetector(settings, logger);
        try
        {
            detector.ImportWeights(checkpoint.Weights);
            detector.Calibrate(normalImages, cancellationToken);
            return detector;
        }
        catch
        {
            detector._generator.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes the generator as the SAGAN authors' checkpoint: their parameter names, loadable strictly by their
    /// <c>Generator</c> with <c>load_state_dict(torch.load(path))</c> (see <see cref="AuthorsGeneratorCheckpoint.Write"/>).
    /// </summary>
    /// <param name="path">The file: safetensors for the <c>.safetensors</c> extension, otherwise the <c>torch.save</c> format.</param>
    public void ExportAuthorsCheckpoint(string path)
    {
        var weights = StateDicts.Export(_generator);
        try
        {
            AuthorsGeneratorCheckpoint.Write(weights, path);
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    protected override TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var trainer = new SaganTrainer(_generator, Options, context);
        return trainer.Run(progress, cancellationToken);
    }

    /// <inheritdoc/>
    protected override DetectorScores Score(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Tensor? keepMask = null;
        if (Options.TestStochasticMask && Options.TrainingMixProbability > 0)
        {
            RandomSource random;
            lock (_scoringRandom)
            {
                random = _scoringRandom.Fork();
            }

            var shape = TensorData.Shape(batch);
            keepMask = SaganGenerator.SampleKeepMask(shape[0], shape[2], shape[3], Options.TrainingMixProbability, random).to(batch.device);
        }

        var maps = _smoothing.forward(RestorationResidual.Of(batch, _generator.Restore(batch, keepMask), Options.ResidualPolarity).mean([1], keepdim: true));
        return Options.ScoreTopFraction < 1
            ? DetectorScores.From(Array.ConvertAll(TopFraction.Mean(maps, Options.ScoreTopFraction), score => score / 2), maps)
            : DetectorScores.From(maps.mean([1, 2, 3]).DividedBy(2), maps);
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Tensor> ExportWeights() =>
        StateDicts.Export(_generator).ToDictionary(p => GeneratorPrefix + p.Key, p => p.Value, StringComparer.Ordinal);

    /// <inheritdoc/>
    protected override void ImportWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);

        // Names without the prefix stay as they are, so that a strict load reports them as unexpected.
        StateDicts.LoadStrict(_generator, weights.ToDictionary(
            p => p.Key.StartsWith(GeneratorPrefix, StringComparison.Ordinal) ? p.Key[GeneratorPrefix.Length..] : p.Key,
            p => p.Value,
            StringComparer.Ordinal), "the SAGAN generator");
    }
}
