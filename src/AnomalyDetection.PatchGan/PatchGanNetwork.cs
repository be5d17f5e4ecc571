using AnomalyDetection.Components;
using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Utils;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// Every trained part of a Patch-GAN detector under one root, so the state dictionary names them
/// <c>reconstructor.*</c>, <c>discriminator.*</c>, <c>global_discriminator.*</c>, <c>ranking_head.*</c> and
/// <c>statistics.*</c>; and the inference path shared by scoring and by fitting the statistics.
/// </summary>
internal sealed class PatchGanNetwork : torch.nn.Module
{
    private readonly PatchGanOptions _options;

    [ComponentName(Name = "reconstructor")]
    private readonly UNetReconstructor _reconstructor;

    [ComponentName(Name = "discriminator")]
    private readonly torch.nn.Module<Tensor, Tensor> _discriminator;

    [ComponentName(Name = "global_discriminator")]
    private readonly PooledPatchGanDiscriminator? _globalDiscriminator;

    [ComponentName(Name = "ranking_head")]
    private readonly PatchRankingHead? _rankingHead;

    [ComponentName(Name = "statistics")]
    private readonly PatchScoreStatistics _statistics;

    /// <summary>Builds the networks, initialised from <see cref="Detection.DetectorOptions.Seed"/> alone (in the order
    /// reconstructor, discriminator, global discriminator, ranking head), and moves them to <paramref name="device"/>.</summary>
    public PatchGanNetwork(PatchGanOptions options, torch.Device? device = null)
        : base(nameof(PatchGanNetwork))
    {
        _options = options;
        var random = new RandomSource(options.Seed);
        _reconstructor = new UNetReconstructor(options.Channels, options.Channels, options.ReconstructorWidths, random, options.ReconstructorAttention);
        _discriminator = options.Discriminator == PatchDiscriminatorKind.Cropped
            ? new CroppedPatchDiscriminator(options.Channels, options.PatchSize, options.DiscriminatorWidths, random)
            : new PooledPatchGanDiscriminator(options.Channels, options.PatchSize, options.DiscriminatorWidths, random);
        if (options.GlobalDiscriminatorWeight > 0)
        {
            _globalDiscriminator = new PooledPatchGanDiscriminator(options.Channels, options.ImageSize, options.DiscriminatorWidths, random);
        }

        if (options.Ranking == PatchRanking.Learned)
        {
            _rankingHead = new PatchRankingHead(options.RankingHeadWidth, options.RankingTemperature, random);
        }

        _statistics = new PatchScoreStatistics();

        // Registered one by one, so that the state dictionary lists the parts in this order.
        register_module("reconstructor", _reconstructor);
        register_module("discriminator", _discriminator);
        if (_globalDiscriminator is not null)
        {
            register_module("global_discriminator", _globalDiscriminator);
        }

        if (_rankingHead is not null)
        {
            register_module("ranking_head", _rankingHead);
        }

        register_module("statistics", _statistics);
        RegisterComponents();
        this.to(device ?? torch.CPU);
    }

    public UNetReconstructor Reconstructor => _reconstructor;

    public torch.nn.Module<Tensor, Tensor> Discriminator => _discriminator;

    public PooledPatchGanDiscriminator? GlobalDiscriminator => _globalDiscriminator;

    public PatchRankingHead? RankingHead => _rankingHead;

    public PatchScoreStatistics Statistics => _statistics;

    /// <summary>
    /// The test-time reconstruction: with masking, the images go through the reconstructor once per complementary mask
    /// and each patch is taken from the pass that hid it; without, one plain pass.
    /// </summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    public Tensor Reconstruct(Tensor images)
    {
        if (!_options.UseMasking)
        {
            return _reconstructor.forward(images);
        }

        using var scope = torch.NewDisposeScope();
        long k = _options.TestMaskCount, n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];

        // (K, 1, 1, H, W): broadcasts over batch and channels. Built per call (a few hundred values move to the
        // device), which keeps the module free of non-state tensors and scoring free of shared mutable state.
        var grid = _options.GridSize;
        var masks = PatchGrid.ToPixels(PatchMasks.Complementary(grid, grid, _options.TestMaskCount).to(images.device), _options.PatchSize)
            .reshape(k, 1, 1, h, w);
        // One pass per mask rather than one batch of K·N images: the same arithmetic per image, with a peak memory
        // that does not grow with the mask count.
        var combined = torch.zeros_like(images);
        for (var pass = 0L; pass < k; pass++)
        {
            var mask = masks[pass];
            var previous = combined;
            combined = DisposeScopes.KeepResult(() => previous.Plus(_reconstructor.forward(images * mask.SubtractedFrom(1)) * mask));
            previous.Dispose();
        }

        return combined.MoveToOuterDisposeScope();
    }

    /// <summary>The two per-patch anomaly terms of a reconstruction.</summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    /// <param name="reconstructions">Their reconstructions, same shape.</param>
    /// <returns>The pixel error |x − x̂| (or its side that <see cref="RestorationDetectorOptions.ResidualPolarity"/> names) averaged
    /// over channels (N, 1, H, W), its patch means (N, 1, R, K), and each
    /// patch's probability of being fake σ(−D(x̂)) (N, 1, R, K).</returns>
    public (Tensor PixelErrors, Tensor PatchErrors, Tensor FakeProbabilities) Evidence(Tensor images, Tensor reconstructions)
    {
        var pixelErrors = RestorationResidual.Of(images, reconstructions, _options.ResidualPolarity).mean([1L], keepdim: true);
        var patchErrors = PatchGrid.Means(pixelErrors, _options.PatchSize);
        var fake = (-_discriminator.forward(reconstructions)).sigmoid();
        return (pixelErrors, patchErrors, fake);
    }
}
