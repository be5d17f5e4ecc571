using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension that sums to one.</param>
    /// <remarks>The maximum along <paramref name="dim"/> is subtracted before exponentiating, so large inputs stay finite.</remarks>
    public static Tensor Softmax(Tensor input, int dim)
    {
        ArgumentNullException.ThrowIfNull(input);
        var layout = DimLayout.Of(input.Shape, dim);
        var result = new Tensor(SoftmaxKernels.Forward(input.Data, layout, log: false), input.ShapeArray());
        return Tensor.ShouldRecord(input) ? result.Record(new SoftmaxBackward(input, result, layout, dim)) : result;
    }

    /// <summary>Log-softmax along <paramref name="dim"/>, computed stably.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension normalised over.</param>
    public static Tensor LogSoftmax(Tensor input, int dim)
    {
        ArgumentNullException.ThrowIfNull(input);
        var layout = DimLayout.Of(input.Shape, dim);
        var result = new Tensor(SoftmaxKernels.Forward(input.Data, layout, log: true), input.ShapeArray());
        return Tensor.ShouldRecord(input) ? result.Record(new LogSoftmaxBackward(input, result, layout, dim)) : result;
    }

    private sealed class SoftmaxBackward(Tensor x, Tensor y, DimLayout layout, int dim) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var y = Output;
            return GradMode.IsEnabled
                ? [y * (g - (g * y).Sum([dim], keepDim: true))]
                : [new Tensor(SoftmaxKernels.SoftmaxBackward(y.Data, g.Data, layout), y.ShapeArray())];
        }
    }

    private sealed class LogSoftmaxBackward(Tensor x, Tensor y, DimLayout layout, int dim) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var y = Output;
            return GradMode.IsEnabled
                ? [g - (y.Exp() * g.Sum([dim], keepDim: true))]
                : [new Tensor(SoftmaxKernels.LogSoftmaxBackward(y.Data, g.Data, layout), y.ShapeArray())];
        }
    }
}
