namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The sizes of one 2-D convolution y = conv(x, w): x is (Batch, InChannels, InHeight, InWidth), w is
/// (OutChannels, InChannels, KernelHeight, KernelWidth) and y is (Batch, OutChannels, OutHeight, OutWidth).
/// A transposed convolution is described by the convolution whose input gradient it computes.
/// </summary>
/// <remarks>
/// As GEMMs, the three products are: forward y = W·im2col(x) with M = OutChannels, K = <see cref="PatchSize"/>,
/// N = <see cref="OutColumns"/> (the batch folded into N); input gradient col2im(Wᵀ·gy); weight gradient
/// gy·im2col(x)ᵀ, which reduces over <see cref="OutColumns"/>.
/// </remarks>
internal readonly record struct ConvGeometry(
    int Batch, int InChannels, int InHeight, int InWidth,
    int OutChannels, int KernelHeight, int KernelWidth,
    int Stride, int Padding, int Dilation, int OutHeight, int OutWidth)
{
    public int KernelArea => KernelHeight * KernelWidth;

    /// <summary>The length of one im2col column: InChannels · kernel taps.</summary>
    public int PatchSize => InChannels * KernelArea;

    public int InPlane => InHeight * InWidth;

    public int OutPlane => OutHeight * OutWidth;

    /// <summary>Output pixels over the whole batch: the GEMM N of the forward pass.</summary>
    public int OutColumns => Batch * OutPlane;

    public int[] InputShape => [Batch, InChannels, InHeight, InWidth];

    public int[] WeightShape => [OutChannels, InChannels, KernelHeight, KernelWidth];

    public int[] OutputShape => [Batch, OutChannels, OutHeight, OutWidth];
}
