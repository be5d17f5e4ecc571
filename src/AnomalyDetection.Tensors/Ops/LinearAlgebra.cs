namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Matrix product: (M, K)·(K, N), or batched (B, M, K)·(B, K, N) with broadcasting of the batch dimensions.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Tensor MatMul(Tensor a, Tensor b) => throw Pending(nameof(MatMul));

    /// <summary>Affine map y = x·Wᵀ + b over the last dimension.</summary>
    /// <param name="input">Input of shape (*, in).</param>
    /// <param name="weight">Weight of shape (out, in).</param>
    /// <param name="bias">Optional bias of shape (out).</param>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => throw Pending(nameof(Linear));
}
