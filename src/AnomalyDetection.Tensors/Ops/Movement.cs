using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

// Every backward here is itself one of these operations (Concat ↔ Slice, Slice ↔ padding, Permute ↔ its inverse),
// so gradients through them can be differentiated again.
public sealed partial class Tensor
{
    /// <summary>Joins tensors along <paramref name="dim"/>; all other dimensions must match.</summary>
    /// <param name="tensors">The tensors, in order.</param>
    /// <param name="dim">The dimension to join along; negative values count from the end.</param>
    /// <exception cref="ArgumentException">The list is empty, or the ranks or the other dimensions differ.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one tensor.", nameof(tensors));
        }

        var parts = tensors.ToArray();
        var first = parts[0] ?? throw new ArgumentNullException(nameof(tensors), "Concat: tensor 0 is null.");
        var d = ShapeUtil.NormalizeDim(dim, first.Rank);
        var joined = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i] ?? throw new ArgumentNullException(nameof(tensors), $"Concat: tensor {i} is null.");
            if (!SameExceptAlong(part.Shape, first.Shape, d))
            {
                throw new ArgumentException(
                    $"Concat along dimension {d}: tensor {i} has shape {ShapeUtil.Format(part.Shape)} but tensor 0 has shape {ShapeUtil.Format(first.Shape)}; all other dimensions must match.",
                    nameof(tensors));
            }

            joined += part.Shape[d];
        }

        var shape = first.ShapeArray();
        shape[d] = joined;
        var outer = ShapeUtil.Count(shape.AsSpan(0, d));
        var inner = ShapeUtil.Count(shape.AsSpan(d + 1));
        var result = new Tensor(ConcatKernels.Concat(parts, d, outer, inner, joined), shape);
        return GradMode.IsEnabled && parts.Any(p => p.RequiresGrad) ? result.Record(new ConcatBackward(parts, d)) : result;
    }

    /// <summary>The elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension to slice; negative values count from the end.</param>
    /// <param name="start">The first index, in [0, size].</param>
    /// <param name="length">The number of indices, in [0, size − start].</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the dimension.</exception>
    public Tensor Slice(int dim, int start, int length)
    {
        var d = ShapeUtil.NormalizeDim(dim, Rank);
        var size = _shape[d];
        if (start < 0 || length < 0 || start > size - length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start),
                $"Slice [{start}, {start} + {length}) is out of range for dimension {d} of size {size} (shape {ShapeUtil.Format(_shape)}).");
        }

        var before = new int[Rank];
        var after = new int[Rank];
        before[d] = -start;
        after[d] = -(size - start - length);
        return PadOrCrop(before, after, 0f);
    }

    /// <summary>Splits into pieces of <paramref name="size"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    /// <param name="size">The size of each piece, at least 1.</param>
    /// <param name="dim">The dimension to split; negative values count from the end.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    public Tensor[] Split(int size, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var d = ShapeUtil.NormalizeDim(dim, Rank);
        var total = _shape[d];
        var pieces = new Tensor[(total + size - 1) / size];
        for (var i = 0; i < pieces.Length; i++)
        {
            var start = i * size;
            pieces[i] = Slice(d, start, Math.Min(size, total - start));
        }

        return pieces;
    }

    /// <summary>Reorders dimensions: output dimension i is input dimension <paramref name="dims"/>[i].</summary>
    /// <param name="dims">A permutation of 0..Rank−1; negative values count from the end.</param>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of this tensor's dimensions.</exception>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var order = new int[Rank];
        var seen = new bool[Rank];
        for (var i = 0; i < Rank && dims.Length == Rank; i++)
        {
            var d = dims[i] < 0 ? dims[i] + Rank : dims[i];
            if ((uint)d >= (uint)Rank || seen[d])
            {
                break;
            }

            seen[d] = true;
            order[i] = d;
        }

        if (dims.Length != Rank || Array.IndexOf(seen, false) >= 0)
        {
            throw new ArgumentException(
                $"Permute expects a permutation of the {Rank} dimensions of a tensor of shape {ShapeUtil.Format(_shape)} but got {ShapeUtil.Format(dims)}.",
                nameof(dims));
        }

        var shape = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            shape[i] = _shape[order[i]];
        }

        var result = new Tensor(PermuteKernels.Permute(Data, _shape, order), shape);
        return ShouldRecord(this) ? result.Record(new PermuteBackward(this, order)) : result;
    }

    /// <summary>Swaps two dimensions.</summary>
    /// <param name="dim0">The first dimension; negative values count from the end.</param>
    /// <param name="dim1">The second dimension.</param>
    public Tensor Transpose(int dim0, int dim1)
    {
        var order = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            order[i] = i;
        }

        var a = ShapeUtil.NormalizeDim(dim0, Rank);
        var b = ShapeUtil.NormalizeDim(dim1, Rank);
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>
    /// Adds <paramref name="before"/>[d] and <paramref name="after"/>[d] elements of <paramref name="value"/> on each side of
    /// every dimension d; negative amounts crop. The gradient is the opposite crop-and-pad (with zeros), which is why
    /// <see cref="Slice"/> and <see cref="Functional.Pad(Tensor, int, int, int, int, float)"/> both come down to it.
    /// </summary>
    internal Tensor PadOrCrop(int[] before, int[] after, float value)
    {
        var shape = new int[Rank];
        for (var d = 0; d < Rank; d++)
        {
            shape[d] = _shape[d] + before[d] + after[d];
            if (shape[d] < 0)
            {
                throw new ArgumentException(
                    $"Padding dimension {d} of shape {ShapeUtil.Format(_shape)} by {before[d]} before and {after[d]} after would leave a negative size ({shape[d]}).");
            }
        }

        var result = new Tensor(PaddingKernels.PadOrCrop(Data, _shape, before, after, shape, value), shape);
        return ShouldRecord(this) ? result.Record(new PadOrCropBackward(this, before, after)) : result;
    }

    private static bool SameExceptAlong(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int dim)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (i != dim && a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private sealed class ConcatBackward(Tensor[] parts, int dim) : GradNode(parts)
    {
        private readonly int[] _sizes = [.. parts.Select(p => p.Shape[dim])];

        public override Tensor?[] Backward(Tensor g)
        {
            var grads = new Tensor?[_sizes.Length];
            var offset = 0;
            for (var i = 0; i < _sizes.Length; i++)
            {
                grads[i] = NeedsGradient(i) ? g.Slice(dim, offset, _sizes[i]) : null;
                offset += _sizes[i];
            }

            return grads;
        }
    }

    private sealed class PermuteBackward(Tensor x, int[] order) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var inverse = new int[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                inverse[order[i]] = i;
            }

            return [g.Permute(inverse)];
        }
    }

    private sealed class PadOrCropBackward(Tensor x, int[] before, int[] after) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var undoBefore = new int[before.Length];
            var undoAfter = new int[after.Length];
            for (var d = 0; d < before.Length; d++)
            {
                undoBefore[d] = -before[d];
                undoAfter[d] = -after[d];
            }

            return [g.PadOrCrop(undoBefore, undoAfter, 0f)];
        }
    }
}

public static partial class Functional
{
    /// <summary>
    /// Pads the last two dimensions (H, W) of a tensor such as an NCHW batch with a constant. As in PyTorch's
    /// <c>F.pad</c>, a negative amount crops that many rows or columns instead.
    /// </summary>
    /// <param name="input">Input of rank at least 2, typically (N, C, H, W).</param>
    /// <param name="left">Columns added on the left (negative: removed).</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="top">Rows added on top.</param>
    /// <param name="bottom">Rows added at the bottom.</param>
    /// <param name="value">The fill value.</param>
    /// <exception cref="ArgumentException">The input has rank below 2, or cropping would leave a negative size.</exception>
    public static Tensor Pad(Tensor input, int left, int right, int top, int bottom, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"Pad expects a tensor of rank at least 2 (…, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        var before = new int[input.Rank];
        var after = new int[input.Rank];
        before[^2] = top;
        after[^2] = bottom;
        before[^1] = left;
        after[^1] = right;
        return input.PadOrCrop(before, after, value);
    }
}
