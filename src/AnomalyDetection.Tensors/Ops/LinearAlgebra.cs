using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Matrix product: (M, K)·(K, N), or batched (B, M, K)·(B, K, N) with broadcasting of the batch dimensions.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>The product, of shape (broadcast batch dimensions…, M, N).</returns>
    /// <exception cref="ArgumentException">An operand has rank below 2, the inner dimensions differ, or the batch
    /// dimensions do not broadcast.</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return MatMul(a, b, transposeA: false, transposeB: false);
    }

    /// <summary>Affine map y = x·Wᵀ + b over the last dimension.</summary>
    /// <param name="input">Input of shape (*, in).</param>
    /// <param name="weight">Weight of shape (out, in).</param>
    /// <param name="bias">Optional bias of shape (out).</param>
    /// <returns>Output of shape (*, out).</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Linear expects a weight of rank 2 (out, in) but got shape {ShapeUtil.Format(weight.Shape)}.", nameof(weight));
        }

        var (outFeatures, inFeatures) = (weight.Shape[0], weight.Shape[1]);
        if (input.Rank == 0 || input.Shape[^1] != inFeatures)
        {
            throw new ArgumentException(
                $"Linear expects input of shape (*, {inFeatures}) for weight {ShapeUtil.Format(weight.Shape)} but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outFeatures))
        {
            throw new ArgumentException($"Linear expects a bias of shape [{outFeatures}] but got shape {ShapeUtil.Format(bias.Shape)}.", nameof(bias));
        }

        var y = MatMul(input.Reshape(-1, inFeatures), weight, transposeA: false, transposeB: true);
        if (bias is not null)
        {
            y += bias;
        }

        var shape = input.ShapeArray();
        shape[^1] = outFeatures;
        return y.Reshape(shape);
    }

    /// <summary>
    /// op(a)·op(b) over the last two dimensions, where op transposes when asked; the batch dimensions broadcast.
    /// Its backward is made of the same product, so it differentiates any number of times.
    /// </summary>
    internal static Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException($"MatMul expects operands of rank 2 or more but got shapes {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        }

        var (m, k) = transposeA ? (a.Shape[^1], a.Shape[^2]) : (a.Shape[^2], a.Shape[^1]);
        var (kb, n) = transposeB ? (b.Shape[^1], b.Shape[^2]) : (b.Shape[^2], b.Shape[^1]);
        if (k != kb)
        {
            throw new ArgumentException(
                $"MatMul inner dimensions differ: {ShapeUtil.Format(a.Shape)}{(transposeA ? "ᵀ" : "")} · {ShapeUtil.Format(b.Shape)}{(transposeB ? "ᵀ" : "")} ({k} vs {kb}).");
        }

        var aBatch = a.Shape[..^2];
        var bBatch = b.Shape[..^2];
        int[] batch;
        try
        {
            batch = ShapeUtil.Broadcast(aBatch, bBatch);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"MatMul batch dimensions of {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)} do not broadcast.", e);
        }

        var count = ShapeUtil.Count(batch);
        var shape = new int[batch.Length + 2];
        batch.CopyTo(shape, 0);
        shape[^2] = m;
        shape[^1] = n;
        var result = Tensor.Uninitialized(shape);
        GemmBatched.Run(
            transposeA, transposeB, m, n, k,
            a.Data, MatrixOffsets(aBatch, batch, m * k, count), b.Data, MatrixOffsets(bBatch, batch, k * n, count), result.Data);
        return Tensor.ShouldRecord(a, b) ? result.Record(new MatMulBackward(a, b, transposeA, transposeB)) : result;
    }

    /// <summary>The start of each operand matrix, in the order of the broadcast batch index.</summary>
    private static int[] MatrixOffsets(ReadOnlySpan<int> operandBatch, int[] batch, int matrixSize, int count)
    {
        var strides = ShapeUtil.BroadcastStrides(operandBatch, batch);
        var offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            var rest = i;
            var offset = 0;
            for (var d = batch.Length - 1; d >= 0; d--)
            {
                offset += rest % batch[d] * strides[d];
                rest /= batch[d];
            }

            offsets[i] = offset * matrixSize;
        }

        return offsets;
    }

    /// <summary>
    /// For C = op(A)·op(B): dA = G·op(B)ᵀ and dB = op(A)ᵀ·G, each written as one product over the stored operands
    /// (transposed back when the operand itself was used transposed) and summed over broadcast batch dimensions.
    /// </summary>
    private sealed class MatMulBackward(Tensor a, Tensor b, bool transposeA, bool transposeB) : GradNode(a, b)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var a = Input(0);
            var b = Input(1);
            Tensor? da = null, db = null;
            if (NeedsGradient(0))
            {
                da = transposeA ? MatMul(b, g, transposeB, true) : MatMul(g, b, false, !transposeB);
                da = da.SumTo(a.Shape);
            }

            if (NeedsGradient(1))
            {
                db = transposeB ? MatMul(g, a, true, transposeA) : MatMul(a, g, !transposeA, false);
                db = db.SumTo(b.Shape);
            }

            return [da, db];
        }
    }
}
