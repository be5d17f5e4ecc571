using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

// Resampling is linear: the backward is the adjoint resampling, whose own backward is the forward again, so
// gradients through it can be differentiated again.
public static partial class Functional
{
    /// <summary>Nearest-neighbour resize of an NCHW tensor (PyTorch's 'nearest': source index = floor(dst · in / out)).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="outputHeight">The new height.</param>
    /// <param name="outputWidth">The new width.</param>
    /// <exception cref="ArgumentException">The input is not rank 4 or has an empty plane.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An output size is less than 1.</exception>
    public static Tensor UpsampleNearest2d(Tensor input, int outputHeight, int outputWidth)
    {
        CheckResampleArguments(nameof(UpsampleNearest2d), input, outputHeight, outputWidth);
        return Resample(input, AxisTaps.Nearest(input.Shape[2], outputHeight), AxisTaps.Nearest(input.Shape[3], outputWidth));
    }

    /// <summary>Bilinear resize of an NCHW tensor, up or down, with PyTorch's source-index formulas (no antialiasing).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="outputHeight">The new height.</param>
    /// <param name="outputWidth">The new width.</param>
    /// <param name="alignCorners">Align the corner pixels' centres (PyTorch's align_corners).</param>
    /// <exception cref="ArgumentException">The input is not rank 4 or has an empty plane.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An output size is less than 1.</exception>
    public static Tensor UpsampleBilinear2d(Tensor input, int outputHeight, int outputWidth, bool alignCorners = false)
    {
        CheckResampleArguments(nameof(UpsampleBilinear2d), input, outputHeight, outputWidth);
        return Resample(
            input,
            AxisTaps.Linear(input.Shape[2], outputHeight, alignCorners),
            AxisTaps.Linear(input.Shape[3], outputWidth, alignCorners));
    }

    private static void CheckResampleArguments(string op, Tensor input, int outputHeight, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[2] == 0 || input.Shape[3] == 0)
        {
            throw new ArgumentException($"{op} expects input of rank 4 (N, C, H, W) with H, W ≥ 1 but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(outputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
    }

    private static Tensor Resample(Tensor input, AxisTaps rows, AxisTaps columns)
    {
        var planes = input.Shape[0] * input.Shape[1];
        var result = new Tensor(ResamplingKernels.Resample(input.Data, planes, rows, columns), [input.Shape[0], input.Shape[1], rows.OutputSize, columns.OutputSize]);
        return Tensor.ShouldRecord(input) ? result.Record(new ResampleBackward(input, rows, columns)) : result;
    }

    private static Tensor ResampleAdjoint(Tensor gradient, AxisTaps rows, AxisTaps columns)
    {
        var planes = gradient.Shape[0] * gradient.Shape[1];
        var result = new Tensor(
            ResamplingKernels.ResampleAdjoint(gradient.Data, planes, rows, columns), [gradient.Shape[0], gradient.Shape[1], rows.InputSize, columns.InputSize]);
        return Tensor.ShouldRecord(gradient) ? result.Record(new ResampleAdjointBackward(gradient, rows, columns)) : result;
    }

    private sealed class ResampleBackward(Tensor input, AxisTaps rows, AxisTaps columns) : GradNode(input)
    {
        public override Tensor?[] Backward(Tensor g) => [ResampleAdjoint(g, rows, columns)];
    }

    private sealed class ResampleAdjointBackward(Tensor gradient, AxisTaps rows, AxisTaps columns) : GradNode(gradient)
    {
        public override Tensor?[] Backward(Tensor g) => [Resample(g, rows, columns)];
    }
}
