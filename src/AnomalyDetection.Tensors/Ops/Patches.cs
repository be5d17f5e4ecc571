using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

// Unfold and Fold are each other's adjoint, so each one's backward is the other and gradients through them can be
// differentiated again.
public static partial class Functional
{
    /// <summary>Extracts sliding blocks (im2col): (N, C, H, W) → (N, C·kH·kW, L), as <c>torch.nn.functional.unfold</c>.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The block size.</param>
    /// <param name="stride">The step between blocks.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <returns>Blocks of shape (N, C·k·k, L): row (c·k + i)·k + j holds pixel (i, j) of every block of channel c, and the
    /// L blocks are in row-major order over the block grid.</returns>
    /// <exception cref="ArgumentException">The input is not rank 4, or no block fits.</exception>
    public static Tensor Unfold(Tensor input, int kernelSize, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"Unfold expects input of rank 4 (N, C, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        var geometry = CheckPatchGeometry(nameof(Unfold), input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3], kernelSize, stride, padding);
        int[] shape = [geometry.Batch, geometry.Channels * kernelSize * kernelSize, geometry.BlocksDown * geometry.BlocksAcross];
        var result = Tensor.FromArray(PatchKernels.Unfold(input.Data, geometry), shape);
        return Tensor.ShouldRecord(input) ? result.Record(new UnfoldBackward(input, geometry)) : result;
    }

    /// <summary>Sums sliding blocks back into an image (col2im), the adjoint of <see cref="Unfold"/>.</summary>
    /// <param name="input">Blocks of shape (N, C·kH·kW, L).</param>
    /// <param name="outputHeight">The image height.</param>
    /// <param name="outputWidth">The image width.</param>
    /// <param name="kernelSize">The block size.</param>
    /// <param name="stride">The step between blocks.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <returns>The image, of shape (N, C, <paramref name="outputHeight"/>, <paramref name="outputWidth"/>); where blocks overlap their values add.</returns>
    /// <exception cref="ArgumentException">The input is not rank 3, its second dimension is not a multiple of k², or L is not
    /// the number of blocks that fit the output size.</exception>
    public static Tensor Fold(Tensor input, int outputHeight, int outputWidth, int kernelSize, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3)
        {
            throw new ArgumentException($"Fold expects input of rank 3 (N, C·k·k, L) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        var taps = kernelSize * kernelSize;
        if (input.Shape[1] % taps != 0)
        {
            throw new ArgumentException(
                $"Fold with kernel size {kernelSize} needs a second dimension divisible by {taps}, but the input has shape {ShapeUtil.Format(input.Shape)}.",
                nameof(input));
        }

        var geometry = CheckPatchGeometry(nameof(Fold), input.Shape[0], input.Shape[1] / taps, outputHeight, outputWidth, kernelSize, stride, padding);
        var blocks = geometry.BlocksDown * geometry.BlocksAcross;
        if (input.Shape[2] != blocks)
        {
            throw new ArgumentException(
                $"Fold to {outputHeight}×{outputWidth} (kernel {kernelSize}, stride {stride}, padding {padding}) needs {blocks} blocks, but the input has shape {ShapeUtil.Format(input.Shape)}.",
                nameof(input));
        }

        int[] shape = [geometry.Batch, geometry.Channels, outputHeight, outputWidth];
        var result = Tensor.FromArray(PatchKernels.Fold(input.Data, geometry), shape);
        return Tensor.ShouldRecord(input) ? result.Record(new FoldBackward(input, geometry)) : result;
    }

    private static PatchGeometry CheckPatchGeometry(string op, int batch, int channels, int height, int width, int kernelSize, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (height + (2 * padding) < kernelSize || width + (2 * padding) < kernelSize)
        {
            throw new ArgumentException(
                $"{op}: a {kernelSize}×{kernelSize} block does not fit a {height}×{width} image with padding {padding}.");
        }

        return new PatchGeometry(batch, channels, height, width, kernelSize, stride, padding);
    }

    private sealed class UnfoldBackward(Tensor input, PatchGeometry geometry) : GradNode(input)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [Fold(g, geometry.Height, geometry.Width, geometry.Kernel, geometry.Stride, geometry.Padding)];
    }

    private sealed class FoldBackward(Tensor input, PatchGeometry geometry) : GradNode(input)
    {
        public override Tensor?[] Backward(Tensor g) => [Unfold(g, geometry.Kernel, geometry.Stride, geometry.Padding)];
    }
}
