using AnomalyDetection.Components;
using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>
/// SAGAN's generator: a U-Net-like encoder–decoder that works on each 2×2 window of an image
/// separately, told which window it sees by a 3-bit position code fused at three encoder depths, with attention gates
/// on the skip connections, multi-level feature fusion before the output, and a residual output tanh(r + x).
/// </summary>
/// <remarks>
/// <para>Parameter names equal those of the PyTorch reference in <c>tools/sagan/sagan_reference.py</c>, so its state
/// dictionaries load one to one. At <c>convDim</c> 64 and <c>repeatNum</c> 6 on one channel (the paper's settings) the
/// generator has 44,758,979 parameters.</para>
/// <para>Instance norms always use per-instance statistics, in training and evaluation alike, as the authors' code
/// does in practice; the generator therefore has no mode-dependent behaviour. The training-time input mixing is
/// requested explicitly through a keep mask.</para>
/// </remarks>
public sealed class SaganGenerator : Module
{
    /// <summary>Windows per image side: the image is split into Grid × Grid windows.</summary>
    public const int Grid = 2;

    // Field names are the state dictionary's prefixes (and the reference's attribute names).
    private readonly Sequential stem;
    private readonly Sequential enc1;
    private readonly PositionCodeFusion pos1;
    private readonly Sequential enc2;
    private readonly PositionCodeFusion pos2;
    private readonly Sequential enc3;
    private readonly PositionCodeFusion pos3;
    private readonly Sequential bottleneck;
    private readonly AttentionGate att1;
    private readonly DecoderResidualBlock dec1;
    private readonly Sequential up1;
    private readonly AttentionGate att2;
    private readonly DecoderResidualBlock dec2;
    private readonly Sequential up2;
    private readonly AttentionGate att3;
    private readonly DecoderResidualBlock dec3;
    private readonly Sequential up3;
    private readonly Sequential fuse1;
    private readonly Sequential fuse2;
    private readonly DecoderResidualBlock fuse;
    private readonly Conv2d head;

    /// <summary>Creates the generator on the CPU and initialises it as PyTorch's layers do by default.</summary>
    /// <param name="channels">Image channels (1 for SAGAN's grayscale images).</param>
    /// <param name="convDim">Channels of the first layer; the paper uses 64.</param>
    /// <param name="repeatNum">Residual blocks in the bottleneck; the paper uses 6.</param>
    /// <param name="random">Initialises the weights, layer by layer in construction order.</param>
    public SaganGenerator(int channels, int convDim, int repeatNum, RandomSource random)
        : base(nameof(SaganGenerator))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(convDim);
        ArgumentOutOfRangeException.ThrowIfNegative(repeatNum);
        ArgumentNullException.ThrowIfNull(random);
        Channels = channels;
        ConvDim = convDim;
        RepeatNum = repeatNum;
        var c = convDim;
        var bits = WindowPositionCode.BitCount(Grid * Grid);

        // Every block initialises itself from the source when built, so the draws follow this order.
        stem = ConvBlocks.ConvNormRelu(channels, c, 7, 1, 3, random);
        enc1 = ConvBlocks.ConvNormRelu(c, 2 * c, 4, 2, 1, random);
        pos1 = new PositionCodeFusion(2 * c, bits, random);
        enc2 = ConvBlocks.ConvNormRelu(2 * c, 4 * c, 4, 2, 1, random);
        pos2 = new PositionCodeFusion(4 * c, bits, random);
        enc3 = ConvBlocks.ConvNormRelu(4 * c, 8 * c, 4, 2, 1, random);
        pos3 = new PositionCodeFusion(8 * c, bits, random);
        bottleneck = Sequential(Enumerable.Range(0, repeatNum).Select(_ => (Module<Tensor, Tensor>)new ResidualBlock(8 * c, random)).ToList());
        att1 = new AttentionGate(8 * c, 8 * c, 4 * c, random);
        dec1 = new DecoderResidualBlock(16 * c, 8 * c, random);
        up1 = ConvBlocks.UpsampleNormRelu(8 * c, 4 * c, random);
        att2 = new AttentionGate(4 * c, 4 * c, 2 * c, random);
        dec2 = new DecoderResidualBlock(8 * c, 4 * c, random);
        up2 = ConvBlocks.UpsampleNormRelu(4 * c, 2 * c, random);
        att3 = new AttentionGate(2 * c, 2 * c, c, random);
        dec3 = new DecoderResidualBlock(4 * c, 2 * c, random);
        up3 = ConvBlocks.UpsampleNormRelu(2 * c, c, random);
        fuse1 = Sequential(ConvBlocks.UpsampleNormRelu(4 * c, 2 * c, random), ConvBlocks.UpsampleNormRelu(2 * c, c, random));
        fuse2 = ConvBlocks.UpsampleNormRelu(2 * c, c, random);
        fuse = new DecoderResidualBlock(3 * c, c, random);
        head = Conv2d(c, channels, 7, padding: 3, bias: false, device: LayerDevice.Current);
        WeightInit.ResetParameters(head, random);
        RegisterComponents();
    }

    /// <summary>Image channels.</summary>
    public int Channels { get; }

    /// <summary>Channels of the first layer.</summary>
    public int ConvDim { get; }

    /// <summary>Residual blocks in the bottleneck.</summary>
    public int RepeatNum { get; }

    /// <summary>
    /// Restores windows: the per-window network. Most callers want <see cref="Restore"/>, which cuts whole images into
    /// windows and reassembles them.
    /// </summary>
    /// <param name="windows">Windows of shape (M, channels, h, w), with h and w divisible by 8 and at least 16.</param>
    /// <param name="codes">Each window's position code, of shape (M, 3) (<see cref="WindowPositionCode.Codes"/>), on the windows' device.</param>
    /// <param name="keepMask">Training-time input mixing: where the mask (M, 1, h, w) is 0, the predicted residual is
    /// replaced by the input. Null for none (evaluation).</param>
    /// <returns>The restored windows, of the input's shape, in (−1, 1).</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public Tensor Forward(Tensor windows, Tensor codes, Tensor? keepMask = null)
    {
        CheckWindows(windows, keepMask);

        // Each stage frees its intermediate activations on return (peak memory near PyTorch's; docs/performance.md).
        var y1 = DisposeScopes.KeepResult(() => pos1.forward(enc1.forward(stem.forward(windows)), codes));
        var y2 = DisposeScopes.KeepResult(() => pos2.forward(enc2.forward(y1), codes));
        var encoded = DisposeScopes.KeepResult(() => pos3.forward(enc3.forward(y2), codes));
        var embedding = RepeatNum > 0 ? DisposeScopes.KeepResult(() => bottleneck.forward(encoded)) : encoded;

        // The first gate attends the bottleneck with itself, as the reference does.
        var o1 = DisposeScopes.KeepResult(() => up1.forward(dec1.forward(torch.cat([embedding, att1.forward(embedding, embedding)], 1))));
        var o2 = DisposeScopes.KeepResult(() => up2.forward(dec2.forward(torch.cat([o1, att2.forward(o1, y2)], 1))));
        var o3 = DisposeScopes.KeepResult(() => up3.forward(dec3.forward(torch.cat([o2, att3.forward(o2, y1)], 1))));
        var residual = DisposeScopes.KeepResult(() => head.forward(fuse.forward(torch.cat([fuse1.forward(o1), fuse2.forward(o2), o3], 1))));
        if (keepMask is not null)
        {
            residual = (keepMask * residual).Plus(keepMask.SubtractedFrom(1) * windows);
        }

        return residual.Plus(windows).tanh();
    }

    /// <summary>Restores whole images: cuts each into 2×2 windows, restores the windows, and reassembles them.</summary>
    /// <param name="images">Images of shape (B, channels, H, W) in [−1, 1], with H and W divisible by 16 and at least 32,
    /// on the generator's device.</param>
    /// <param name="keepMask">Training-time input mixing per window pixel, of shape (4B, 1, H/2, W/2) (see
    /// <see cref="SampleKeepMask"/>), on the same device; null for none.</param>
    /// <returns>The restored images, of the input's shape.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public Tensor Restore(Tensor images, Tensor? keepMask = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != Channels)
        {
            throw new ArgumentException($"SaganGenerator expects images (B, {Channels}, H, W) but got shape {ComponentInputGuard.Format(images.shape)}.", nameof(images));
        }

        var windows = WindowPatches.Patchify(images, Grid);
        var codes = WindowPositionCode.Codes(checked((int)images.shape[0]), Grid * Grid, images.device);
        return WindowPatches.Assemble(Forward(windows, codes, keepMask), Grid);
    }

    /// <summary>
    /// Draws the training-time keep mask of SAGAN's output head: each window pixel keeps the predicted residual with
    /// probability 1 − <paramref name="mixProbability"/> and otherwise passes the input through.
    /// </summary>
    /// <param name="images">Images in the batch to restore.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="mixProbability">The share of pixels mixed; the paper uses 0.05.</param>
    /// <param name="random">Draws the mask.</param>
    /// <returns>A float32 CPU mask of 0s and 1s of shape (4·images, 1, height/2, width/2).</returns>
    public static Tensor SampleKeepMask(int images, int height, int width, double mixProbability, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(mixProbability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mixProbability, 1.0);
        ArgumentNullException.ThrowIfNull(random);
        var mask = new float[checked(images * Grid * Grid * (height / Grid) * (width / Grid))];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < mixProbability ? 0f : 1f;
        }

        return TensorData.FromArray(mask, images * Grid * Grid, 1, height / Grid, width / Grid);
    }

    private void CheckWindows(Tensor windows, Tensor? keepMask)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.dim() != 4 || windows.shape[1] != Channels || windows.shape[2] % 8 != 0 || windows.shape[3] % 8 != 0 || windows.shape[2] < 16 || windows.shape[3] < 16)
        {
            throw new ArgumentException(
                $"SaganGenerator expects windows (M, {Channels}, h, w) with h and w divisible by 8 and at least 16 (images of at least 32×32 in steps of 16), but got shape {ComponentInputGuard.Format(windows.shape)}.",
                nameof(windows));
        }

        if (keepMask is not null && (keepMask.dim() != 4 || keepMask.shape[0] != windows.shape[0] || keepMask.shape[1] != 1
            || keepMask.shape[2] != windows.shape[2] || keepMask.shape[3] != windows.shape[3]))
        {
            throw new ArgumentException(
                $"The keep mask must have shape [{windows.shape[0]}, 1, {windows.shape[2]}, {windows.shape[3]}] for windows of shape {ComponentInputGuard.Format(windows.shape)}, but got {ComponentInputGuard.Format(keepMask.shape)}.",
                nameof(keepMask));
        }
    }
}
