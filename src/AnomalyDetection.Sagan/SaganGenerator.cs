using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

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

    private readonly Sequential _stem;
    private readonly Sequential _enc1;
    private readonly PositionCodeFusion _pos1;
    private readonly Sequential _enc2;
    private readonly PositionCodeFusion _pos2;
    private readonly Sequential _enc3;
    private readonly PositionCodeFusion _pos3;
    private readonly Sequential _bottleneck;
    private readonly AttentionGate _att1;
    private readonly DecoderResidualBlock _dec1;
    private readonly Sequential _up1;
    private readonly AttentionGate _att2;
    private readonly DecoderResidualBlock _dec2;
    private readonly Sequential _up2;
    private readonly AttentionGate _att3;
    private readonly DecoderResidualBlock _dec3;
    private readonly Sequential _up3;
    private readonly Sequential _fuse1;
    private readonly Sequential _fuse2;
    private readonly DecoderResidualBlock _fuse;
    private readonly Conv2d _head;

    /// <summary>Creates the generator and initialises it as PyTorch's layers do by default.</summary>
    /// <param name="channels">Image channels (1 for SAGAN's grayscale images).</param>
    /// <param name="convDim">Channels of the first layer; the paper uses 64.</param>
    /// <param name="repeatNum">Residual blocks in the bottleneck; the paper uses 6.</param>
    /// <param name="random">Initialises the weights.</param>
    public SaganGenerator(int channels, int convDim, int repeatNum, RandomSource random)
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
        _stem = RegisterModule("stem", ConvBlocks.ConvNormRelu(channels, c, 7, 1, 3, random));
        _enc1 = RegisterModule("enc1", ConvBlocks.ConvNormRelu(c, 2 * c, 4, 2, 1, random));
        _pos1 = RegisterModule("pos1", new PositionCodeFusion(2 * c, bits, random));
        _enc2 = RegisterModule("enc2", ConvBlocks.ConvNormRelu(2 * c, 4 * c, 4, 2, 1, random));
        _pos2 = RegisterModule("pos2", new PositionCodeFusion(4 * c, bits, random));
        _enc3 = RegisterModule("enc3", ConvBlocks.ConvNormRelu(4 * c, 8 * c, 4, 2, 1, random));
        _pos3 = RegisterModule("pos3", new PositionCodeFusion(8 * c, bits, random));
        _bottleneck = RegisterModule("bottleneck", new Sequential());
        for (var i = 0; i < repeatNum; i++)
        {
            _bottleneck.Append(new ResidualBlock(8 * c, random));
        }

        _att1 = RegisterModule("att1", new AttentionGate(8 * c, 8 * c, 4 * c, random));
        _dec1 = RegisterModule("dec1", new DecoderResidualBlock(16 * c, 8 * c, random));
        _up1 = RegisterModule("up1", ConvBlocks.UpsampleNormRelu(8 * c, 4 * c, random));
        _att2 = RegisterModule("att2", new AttentionGate(4 * c, 4 * c, 2 * c, random));
        _dec2 = RegisterModule("dec2", new DecoderResidualBlock(8 * c, 4 * c, random));
        _up2 = RegisterModule("up2", ConvBlocks.UpsampleNormRelu(4 * c, 2 * c, random));
        _att3 = RegisterModule("att3", new AttentionGate(2 * c, 2 * c, c, random));
        _dec3 = RegisterModule("dec3", new DecoderResidualBlock(4 * c, 2 * c, random));
        _up3 = RegisterModule("up3", ConvBlocks.UpsampleNormRelu(2 * c, c, random));
        _fuse1 = RegisterModule("fuse1", new Sequential(ConvBlocks.UpsampleNormRelu(4 * c, 2 * c, random), ConvBlocks.UpsampleNormRelu(2 * c, c, random)));
        _fuse2 = RegisterModule("fuse2", ConvBlocks.UpsampleNormRelu(2 * c, c, random));
        _fuse = RegisterModule("fuse", new DecoderResidualBlock(3 * c, c, random));
        _head = RegisterModule("head", new Conv2d(c, channels, 7, padding: 3, hasBias: false, random: random));
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
    /// <param name="codes">Each window's position code, of shape (M, 3) (<see cref="WindowPositionCode.Codes"/>).</param>
    /// <param name="keepMask">Training-time input mixing: where the mask (M, 1, h, w) is 0, the predicted residual is
    /// replaced by the input. Null for none (evaluation).</param>
    /// <returns>The restored windows, of the input's shape, in (−1, 1).</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public Tensor Forward(Tensor windows, Tensor codes, Tensor? keepMask = null)
    {
        CheckWindows(windows, keepMask);
        var y1 = _pos1.Forward(_enc1.Forward(_stem.Forward(windows)), codes);
        var y2 = _pos2.Forward(_enc2.Forward(y1), codes);
        var embedding = _bottleneck.Forward(_pos3.Forward(_enc3.Forward(y2), codes));

        // The first gate attends the bottleneck with itself, as the reference does.
        var o1 = _up1.Forward(_dec1.Forward(Tensor.Concat([embedding, _att1.Forward(embedding, embedding)], 1)));
        var o2 = _up2.Forward(_dec2.Forward(Tensor.Concat([o1, _att2.Forward(o1, y2)], 1)));
        var o3 = _up3.Forward(_dec3.Forward(Tensor.Concat([o2, _att3.Forward(o2, y1)], 1)));
        var residual = _head.Forward(_fuse.Forward(Tensor.Concat([_fuse1.Forward(o1), _fuse2.Forward(o2), o3], 1)));
        if (keepMask is not null)
        {
            residual = (keepMask * residual) + ((1f - keepMask) * windows);
        }

        return (residual + windows).Tanh();
    }

    /// <summary>Restores whole images: cuts each into 2×2 windows, restores the windows, and reassembles them.</summary>
    /// <param name="images">Images of shape (B, channels, H, W) in [−1, 1], with H and W divisible by 16 and at least 32.</param>
    /// <param name="keepMask">Training-time input mixing per window pixel, of shape (4B, 1, H/2, W/2) (see
    /// <see cref="SampleKeepMask"/>); null for none.</param>
    /// <returns>The restored images, of the input's shape.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    public Tensor Restore(Tensor images, Tensor? keepMask = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank != 4 || images.Size(1) != Channels)
        {
            throw new ArgumentException($"SaganGenerator expects images (B, {Channels}, H, W) but got shape [{string.Join(", ", images.ShapeArray())}].", nameof(images));
        }

        var windows = WindowPatches.Patchify(images, Grid);
        var codes = WindowPositionCode.Codes(images.Size(0), Grid * Grid);
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
    /// <returns>A mask of 0s and 1s of shape (4·images, 1, height/2, width/2).</returns>
    public static Tensor SampleKeepMask(int images, int height, int width, double mixProbability, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(mixProbability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mixProbability, 1.0);
        ArgumentNullException.ThrowIfNull(random);
        var mask = new float[images * Grid * Grid * (height / Grid) * (width / Grid)];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < mixProbability ? 0f : 1f;
        }

        return Tensor.FromArray(mask, images * Grid * Grid, 1, height / Grid, width / Grid);
    }

    private void CheckWindows(Tensor windows, Tensor? keepMask)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Rank != 4 || windows.Size(1) != Channels || windows.Size(2) % 8 != 0 || windows.Size(3) % 8 != 0 || windows.Size(2) < 16 || windows.Size(3) < 16)
        {
            throw new ArgumentException(
                $"SaganGenerator expects windows (M, {Channels}, h, w) with h and w divisible by 8 and at least 16 (images of at least 32×32 in steps of 16), but got shape [{string.Join(", ", windows.ShapeArray())}].",
                nameof(windows));
        }

        if (keepMask is not null && (keepMask.Rank != 4 || keepMask.Size(0) != windows.Size(0) || keepMask.Size(1) != 1
            || keepMask.Size(2) != windows.Size(2) || keepMask.Size(3) != windows.Size(3)))
        {
            throw new ArgumentException(
                $"The keep mask must have shape [{windows.Size(0)}, 1, {windows.Size(2)}, {windows.Size(3)}] for windows of shape [{string.Join(", ", windows.ShapeArray())}], but got [{string.Join(", ", keepMask.ShapeArray())}].",
                nameof(keepMask));
        }
    }
}
