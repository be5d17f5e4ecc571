using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Autoencoder;

/// <summary>
/// A convolutional autoencoder trained on normal images only, as a reconstruction-error baseline for the GAN
/// detectors: what it cannot rebuild from its bottleneck is taken to be anomalous.
/// </summary>
/// <remarks>
/// <para>Scoring: each test image is reconstructed in one pass. The pixel map is the reconstruction error of
/// <see cref="AutoencoderOptions.Loss"/> (squared or absolute), averaged over channels and smoothed by a Gaussian of
/// <see cref="RestorationDetectorOptions.MapSmoothingSigma"/>; the image score is the mean of the top
/// <see cref="RestorationDetectorOptions.ScoreTopFraction"/> of that map. Thresholds and p-values come from Core's calibration
/// on held-out normal images.</para>
/// <para>Scoring is thread-safe; training is not concurrent with anything else on the same instance.</para>
/// </remarks>
public sealed class AutoencoderDetector : AnomalyDetectorBase<AutoencoderOptions>
{
    /// <summary>The kind stored in model files.</summary>
    public const string DetectorKind = "autoencoder";

    /// <summary>This kind for dependency injection, the CLI and the evaluation harness.</summary>
    public static DetectorDescriptor<AutoencoderDetector, AutoencoderOptions> Descriptor { get; } =
        new(DetectorKind, (options, logger) => new AutoencoderDetector(options, logger), LoadAsync);

    private readonly GaussianBlur2d _smoothing;

    /// <summary>Creates an untrained detector.</summary>
    /// <param name="options">The settings; copied and validated.</param>
    /// <param name="logger">Receives training and calibration messages; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message quotes each bad value.</exception>
    public AutoencoderDetector(AutoencoderOptions options, ILogger? logger = null)
        : base(options, logger)
    {
        Network = new ConvAutoencoder(Options.Channels, Options.Widths, Options.LatentChannels, new RandomSource(Options.Seed));
        Network.to(Device);
        Network.eval();
        _smoothing = new GaussianBlur2d(Options.MapSmoothingSigma);
    }

    /// <inheritdoc/>
    public override string Kind => DetectorKind;

    /// <inheritdoc/>
    public override bool ProducesAnomalyMaps => true;

    /// <summary>The encoder–decoder.</summary>
    internal ConvAutoencoder Network { get; }

    /// <summary>Reads a trained autoencoder model file.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="logger">Receives the loaded detector's messages; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, holds another kind of detector, or its weights do not fit its options.</exception>
    public static Task<AutoencoderDetector> LoadAsync(string path, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(path, DetectorKind, options => new AutoencoderDetector(options, logger), cancellationToken);

    /// <summary>Reads a trained autoencoder model from a stream.</summary>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="logger">Receives the loaded detector's messages; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, holds another kind of detector, or its weights do not fit its options.</exception>
    public static Task<AutoencoderDetector> LoadAsync(Stream source, string sourceName = "stream", ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(source, sourceName, DetectorKind, options => new AutoencoderDetector(options, logger), cancellationToken);

    /// <inheritdoc/>
    protected override TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ResetToInitialWeights();
        return new AutoencoderTrainer(Network, Options).Run(context, progress, cancellationToken);
    }

    /// <inheritdoc/>
    protected override DetectorScores Score(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var errors = ReconstructionErrors.Elementwise(batch, Network.forward(batch), Options.Loss, Options.ResidualPolarity).mean([1L], keepdim: true);
        var maps = _smoothing.forward(errors);
        return DetectorScores.From(TopFraction.Mean(maps, Options.ScoreTopFraction), maps);
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Tensor> ExportWeights() => StateDicts.Export(Network);

    /// <inheritdoc/>
    protected override void ImportWeights(IReadOnlyDictionary<string, Tensor> weights) => StateDicts.LoadStrict(Network, weights, "the autoencoder");
}
