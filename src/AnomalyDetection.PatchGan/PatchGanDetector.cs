using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using Microsoft.Extensions.Logging;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// Patch-GAN (Chen, Yang et al., arXiv 2501.17906, 2025): an unsupervised detector trained on normal images only. A
/// U-Net reconstructs images from which random grid patches were hidden, a patch discriminator judges every patch of
/// the reconstruction, and ranking weights the patch losses so that small abnormal regions are not averaged away.
/// </summary>
/// <remarks>
/// <para>Scoring: each test image is reconstructed through complementary masks (every patch is rebuilt from a pass in
/// which it was hidden). Each patch gets two anomaly terms, its mean absolute reconstruction error and its probability
/// of being fake σ(−D), both z-normalised with statistics of the normal training patches and fused as
/// s = α·z(error) + (1 − α)·z(fake). The image score is the mean of the top fraction of s; the pixel map is the
/// channel-mean |x − x̂| weighted by softplus of the bilinearly upsampled s (positive, so patches scoring below average
/// still rank their pixels by error), smoothed by a Gaussian.</para>
/// <para>Scoring is thread-safe; training is not concurrent with anything else on the same instance.</para>
/// </remarks>
public sealed class PatchGanDetector : AnomalyDetectorBase<PatchGanOptions>
{
    /// <summary>The kind stored in model files.</summary>
    public const string DetectorKind = "patchgan";

    /// <summary>This kind for dependency injection, the CLI and the evaluation harness.</summary>
    public static DetectorDescriptor<PatchGanDetector, PatchGanOptions> Descriptor { get; } =
        new(DetectorKind, (options, logger) => new PatchGanDetector(options, logger), LoadAsync);

    private readonly GaussianBlur2d _smoothing;

    /// <summary>Creates an untrained detector.</summary>
    /// <param name="options">The settings; copied and validated.</param>
    /// <param name="logger">Receives training and calibration messages; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message quotes each bad value.</exception>
    public PatchGanDetector(PatchGanOptions options, ILogger? logger = null)
        : base(options, logger)
    {
        Network = new PatchGanNetwork(Options, Device);
        Network.eval();
        _smoothing = new GaussianBlur2d(Options.MapSmoothingSigma);
    }

    /// <inheritdoc/>
    public override string Kind => DetectorKind;

    /// <inheritdoc/>
    public override bool ProducesAnomalyMaps => true;

    /// <summary>The networks and patch statistics.</summary>
    internal PatchGanNetwork Network { get; }

    /// <summary>Reads a trained Patch-GAN model file.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="logger">Receives the loaded detector's messages; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, holds another kind of detector, or its weights do not fit its options.</exception>
    public static Task<PatchGanDetector> LoadAsync(string path, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(path, DetectorKind, options => new PatchGanDetector(options, logger), cancellationToken);

    /// <summary>Reads a trained Patch-GAN model from a stream.</summary>
    /// <param name="source">The model file's bytes.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="logger">Receives the loaded detector's messages; none when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidModelFileException">The file is damaged, holds another kind of detector, or its weights do not fit its options.</exception>
    public static Task<PatchGanDetector> LoadAsync(Stream source, string sourceName = "stream", ILogger? logger = null, CancellationToken cancellationToken = default) =>
        LoadAsync(source, sourceName, DetectorKind, options => new PatchGanDetector(options, logger), cancellationToken);

    /// <inheritdoc/>
    protected override TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ResetToInitialWeights();
        using var trainer = new PatchGanTrainer(Network, Options);
        return trainer.Run(context, progress, cancellationToken);
    }

    /// <inheritdoc/>
    protected override DetectorScores Score(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var reconstruction = Network.Reconstruct(batch);
        var (pixelErrors, patchErrors, fake) = Network.Evidence(batch, reconstruction);
        var patchScores = Network.Statistics.Fuse(patchErrors, fake, Options.ScoreFusionAlpha);

        // Softplus, written stably as relu(u) + log(1 + e^−|u|), keeps the weights positive, so patches scoring below
        // average still rank their pixels by error.
        var upsampled = torch.nn.functional.interpolate(patchScores, [batch.shape[2], batch.shape[3]], mode: torch.InterpolationMode.Bilinear, align_corners: false);
        var positive = upsampled.relu().Plus((-upsampled.abs()).exp().log1p());
        var maps = _smoothing.forward(pixelErrors * positive);
        var scores = TopFraction.Mean(Options.ImageScore == PatchGanImageScore.Map ? maps : patchScores, Options.ScoreTopFraction);
        return DetectorScores.From(scores, maps);
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Tensor> ExportWeights() => StateDicts.Export(Network);

    /// <inheritdoc/>
    protected override void ImportWeights(IReadOnlyDictionary<string, Tensor> weights) => StateDicts.LoadStrict(Network, weights, "the Patch-GAN networks");
}
