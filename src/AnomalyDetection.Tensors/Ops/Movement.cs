namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>Joins tensors along <paramref name="dim"/>; all other dimensions must match.</summary>
    /// <param name="tensors">The tensors, in order.</param>
    /// <param name="dim">The dimension to join along.</param>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim) => throw Functional.Pending(nameof(Concat));

    /// <summary>The elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension to slice.</param>
    /// <param name="start">The first index.</param>
    /// <param name="length">The number of indices.</param>
    public Tensor Slice(int dim, int start, int length) => throw Functional.Pending(nameof(Slice));

    /// <summary>Splits into pieces of <paramref name="size"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    /// <param name="size">The size of each piece.</param>
    /// <param name="dim">The dimension to split.</param>
    public Tensor[] Split(int size, int dim) => throw Functional.Pending(nameof(Split));

    /// <summary>Reorders dimensions: output dimension i is input dimension <paramref name="dims"/>[i].</summary>
    /// <param name="dims">A permutation of 0..Rank−1.</param>
    public Tensor Permute(params int[] dims) => throw Functional.Pending(nameof(Permute));

    /// <summary>Swaps two dimensions.</summary>
    /// <param name="dim0">The first dimension.</param>
    /// <param name="dim1">The second dimension.</param>
    public Tensor Transpose(int dim0, int dim1) => throw Functional.Pending(nameof(Transpose));
}

public static partial class Functional
{
    /// <summary>Pads the last two dimensions of an NCHW tensor with a constant.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="left">Columns added on the left.</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="top">Rows added on top.</param>
    /// <param name="bottom">Rows added at the bottom.</param>
    /// <param name="value">The fill value.</param>
    public static Tensor Pad(Tensor input, int left, int right, int top, int bottom, float value = 0f) => throw Pending(nameof(Pad));

    /// <summary>Extracts sliding blocks (im2col): (N, C, H, W) → (N, C·kH·kW, L), as <c>torch.nn.functional.unfold</c>.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The block size.</param>
    /// <param name="stride">The step between blocks.</param>
    /// <param name="padding">Zero padding on each side.</param>
    public static Tensor Unfold(Tensor input, int kernelSize, int stride = 1, int padding = 0) => throw Pending(nameof(Unfold));

    /// <summary>Sums sliding blocks back into an image (col2im), the adjoint of <see cref="Unfold"/>.</summary>
    /// <param name="input">Blocks of shape (N, C·kH·kW, L).</param>
    /// <param name="outputHeight">The image height.</param>
    /// <param name="outputWidth">The image width.</param>
    /// <param name="kernelSize">The block size.</param>
    /// <param name="stride">The step between blocks.</param>
    /// <param name="padding">Zero padding on each side.</param>
    public static Tensor Fold(Tensor input, int outputHeight, int outputWidth, int kernelSize, int stride = 1, int padding = 0) => throw Pending(nameof(Fold));
}
