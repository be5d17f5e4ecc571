using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Average pooling over NCHW windows (padding counted in the divisor, PyTorch's default).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the kernel size.</param>
    /// <param name="padding">Zero padding on each side, at most half the kernel size.</param>
    /// <exception cref="ArgumentException">The input is not rank 4 or no window fits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size, stride or padding is out of range.</exception>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0)
    {
        var g = CheckPoolGeometry(nameof(AvgPool2d), input, kernelSize, stride, padding);

        // The mean over the blocks that Unfold gathers counts padded zeros in the divisor, as PyTorch does by default,
        // and its backward (through Unfold and Fold) can be differentiated again.
        var blocks = Unfold(input, kernelSize, g.Stride, padding).Reshape(g.Batch, g.Channels, kernelSize * kernelSize, -1);
        return blocks.Mean([2]).Reshape(g.Batch, g.Channels, g.BlocksDown, g.BlocksAcross);
    }

    /// <summary>Max pooling over NCHW windows (the gradient goes to the first maximal element).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the kernel size.</param>
    /// <param name="padding">Padding with −∞ on each side, at most half the kernel size.</param>
    /// <exception cref="ArgumentException">The input is not rank 4 or no window fits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel size, stride or padding is out of range.</exception>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0)
    {
        var g = CheckPoolGeometry(nameof(MaxPool2d), input, kernelSize, stride, padding);
        var (values, indices) = PoolingKernels.MaxPool(input.Data, g);
        var result = new Tensor(values, [g.Batch, g.Channels, g.BlocksDown, g.BlocksAcross]);
        return Tensor.ShouldRecord(input) ? result.Record(new GatherBackward(input, indices, g.Batch * g.Channels)) : result;
    }

    private static PatchGeometry CheckPoolGeometry(string op, Tensor input, int kernelSize, int? stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{op} expects input of rank 4 (N, C, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride ?? kernelSize, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (padding > kernelSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{op}: padding must be at most half the kernel size ({kernelSize}).");
        }

        return CheckPatchGeometry(op, input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3], kernelSize, stride ?? kernelSize, padding);
    }

    /// <summary>result[i] = source[indices[i]], recorded so that its backward is the matching scatter.</summary>
    private static Tensor GatherAt(Tensor source, int[] indices, int[] shape, int planes)
    {
        var result = new Tensor(PoolingKernels.Gather(source.Data, indices), shape);
        return Tensor.ShouldRecord(source) ? result.Record(new GatherBackward(source, indices, planes)) : result;
    }

    /// <summary>The adjoint of <see cref="GatherAt"/>, recorded so that its backward is the gather.</summary>
    private static Tensor ScatterAddAt(Tensor values, int[] indices, int[] shape, int planes)
    {
        var result = new Tensor(PoolingKernels.ScatterAdd(values.Data, indices, ShapeUtil.Count(shape), planes), shape);
        return Tensor.ShouldRecord(values) ? result.Record(new ScatterAddBackward(values, indices, planes)) : result;
    }

    private sealed class GatherBackward(Tensor source, int[] indices, int planes) : GradNode(source)
    {
        private readonly int[] _sourceShape = source.ShapeArray();

        public override Tensor?[] Backward(Tensor g) => [ScatterAddAt(g, indices, _sourceShape, planes)];
    }

    private sealed class ScatterAddBackward(Tensor values, int[] indices, int planes) : GradNode(values)
    {
        private readonly int[] _valuesShape = values.ShapeArray();

        public override Tensor?[] Backward(Tensor g) => [GatherAt(g, indices, _valuesShape, planes)];
    }
}
