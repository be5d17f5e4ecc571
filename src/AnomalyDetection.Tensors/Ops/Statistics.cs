using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>The variance over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <param name="unbiased">Divide by n − 1 instead of n.</param>
    /// <remarks>Computed in two passes (mean, then mean squared deviation), which stays accurate when the mean is large
    /// compared with the spread. Built from differentiable operations, so it supports higher-order gradients.</remarks>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is empty.</exception>
    public Tensor Variance(int[] dims, bool keepDim = false, bool unbiased = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0)
        {
            throw new ArgumentException("Variance needs at least one dimension to reduce.", nameof(dims));
        }

        var kept = ReducedShape(dims);
        var n = Count / Math.Max(1, ShapeUtil.Count(kept));

        // n = 1 with the unbiased estimator divides by zero and gives NaN, as in PyTorch.
        var divisor = unbiased ? n - 1 : n;
        var deviation = this - Mean(dims, keepDim: true);
        return deviation.Square().Sum(dims, keepDim) * (1f / divisor);
    }

    /// <summary>The maximum over one dimension (the gradient goes to the first maximal element).</summary>
    /// <param name="dim">The dimension to reduce.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <exception cref="ArgumentException">The dimension is empty.</exception>
    public Tensor Max(int dim, bool keepDim = false)
    {
        var d = ShapeUtil.NormalizeDim(dim, Rank);
        if (_shape[d] == 0)
        {
            throw new ArgumentException($"Max over dimension {dim} of shape {ShapeUtil.Format(_shape)} has no elements to take the maximum of.", nameof(dim));
        }

        var layout = DimLayout.Of(_shape, d);
        var (values, indices) = ArgMaxKernels.AlongDim(Data, layout);
        var kept = ShapeArray();
        kept[d] = 1;
        var result = new Tensor(values, keepDim ? kept : DropReduced(kept, [d]));
        return ShouldRecord(this) ? result.Record(new MaxBackward(this, layout, indices, kept)) : result;
    }

    private sealed class MaxBackward(Tensor x, DimLayout layout, float[] indices, int[] kept) : GradNode(x)
    {
        private float[]? _indices = indices;

        public override Tensor?[] Backward(Tensor g)
        {
            var indices = _indices ?? throw new InvalidOperationException(
                $"{Name}: the graph has already been released by an earlier Backward call; pass retainGraph: true to backward twice.");

            // A constant one-hot mask of the chosen elements makes the gradient linear in g, hence differentiable again.
            var mask = ZerosLike(Input(0));
            var m = mask.Data;
            for (var o = 0; o < layout.Outer; o++)
            {
                for (var c = 0; c < layout.Inner; c++)
                {
                    m[layout.Offset(o, c) + ((int)indices[(o * layout.Inner) + c] * layout.Inner)] = 1f;
                }
            }

            return [g.Reshape(kept) * mask];
        }

        protected override void ReleaseSaved() => _indices = null;
    }
}
