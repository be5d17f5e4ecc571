using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// Every trained part of a Patch-GAN detector under one root, so the state dictionary names them
/// <c>reconstructor.*</c>, <c>discriminator.*</c>, <c>global_discriminator.*</c>, <c>ranking_head.*</c> and
/// <c>statistics.*</c>; and the inference path shared by scoring and by fitting the statistics.
/// </summary>
internal sealed class PatchGanNetwork : Module
{
    private readonly PatchGanOptions _options;

    /// <summary>The complementary test masks as pixel masks, (K, 1, 1, H, W) so they broadcast over batch and channels.</summary>
    private readonly Tensor? _testMasks;

    public PatchGanNetwork(PatchGanOptions options)
    {
        _options = options;
        var random = new RandomSource(options.Seed);
        Reconstructor = RegisterModule("reconstructor",
            new UNetReconstructor(options.Channels, options.Channels, options.ReconstructorWidths, options.ReconstructorAttention, random));
        Discriminator = RegisterModule<Module<Tensor, Tensor>>("discriminator", options.Discriminator == PatchDiscriminatorKind.Cropped
            ? new CroppedPatchDiscriminator(options.Channels, options.PatchSize, options.DiscriminatorWidths, random)
            : new PooledPatchGanDiscriminator(options.Channels, options.PatchSize, options.DiscriminatorWidths, random));
        if (options.GlobalDiscriminatorWeight > 0)
        {
            GlobalDiscriminator = RegisterModule("global_discriminator",
                new PooledPatchGanDiscriminator(options.Channels, options.ImageSize, options.DiscriminatorWidths, random));
        }

        if (options.Ranking == PatchRanking.Learned)
        {
            RankingHead = RegisterModule("ranking_head", new PatchRankingHead(options.RankingHeadWidth, options.RankingTemperature, random));
        }

        Statistics = RegisterModule("statistics", new PatchScoreStatistics());
        if (options.UseMasking)
        {
            var grid = options.GridSize;
            var masks = PatchGrid.ToPixels(PatchMasks.Complementary(grid, grid, options.TestMaskCount), options.PatchSize);
            _testMasks = masks.Reshape(options.TestMaskCount, 1, 1, options.ImageSize, options.ImageSize);
        }
    }

    public UNetReconstructor Reconstructor { get; }

    public Module<Tensor, Tensor> Discriminator { get; }

    public PooledPatchGanDiscriminator? GlobalDiscriminator { get; }

    public PatchRankingHead? RankingHead { get; }

    public PatchScoreStatistics Statistics { get; }

    /// <summary>
    /// The test-time reconstruction: with masking, the images go through the reconstructor once per complementary mask
    /// (all passes in one batch) and each patch is taken from the pass that hid it; without, one plain pass.
    /// </summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    public Tensor Reconstruct(Tensor images)
    {
        if (_testMasks is null)
        {
            return Reconstructor.Forward(images);
        }

        int k = _testMasks.Size(0), n = images.Size(0), c = images.Size(1), h = images.Size(2), w = images.Size(3);
        var hidden = images.Reshape(1, n, c, h, w) * (1f - _testMasks);
        var passes = Reconstructor.Forward(hidden.Reshape(k * n, c, h, w)).Reshape(k, n, c, h, w);
        return (passes * _testMasks).Sum([0]);
    }

    /// <summary>The two per-patch anomaly terms of a reconstruction.</summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    /// <param name="reconstructions">Their reconstructions, same shape.</param>
    /// <returns>The pixel error |x − x̂| averaged over channels (N, 1, H, W), its patch means (N, 1, R, K), and each
    /// patch's probability of being fake σ(−D(x̂)) (N, 1, R, K).</returns>
    public (Tensor PixelErrors, Tensor PatchErrors, Tensor FakeProbabilities) Evidence(Tensor images, Tensor reconstructions)
    {
        var pixelErrors = (images - reconstructions).Abs().Mean([1], keepDim: true);
        var patchErrors = PatchGrid.Means(pixelErrors, _options.PatchSize);
        var fake = (-Discriminator.Forward(reconstructions)).Sigmoid();
        return (pixelErrors, patchErrors, fake);
    }
}
