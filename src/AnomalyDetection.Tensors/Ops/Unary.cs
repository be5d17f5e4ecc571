namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise absolute value (gradient 0 at 0, as in PyTorch).</summary>
    public Tensor Abs() => throw Functional.Pending(nameof(Abs));

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt() => throw Functional.Pending(nameof(Sqrt));

    /// <summary>Element-wise square.</summary>
    public Tensor Square() => throw Functional.Pending(nameof(Square));

    /// <summary>Element-wise power with a constant exponent.</summary>
    /// <param name="exponent">The exponent.</param>
    public Tensor Pow(float exponent) => throw Functional.Pending(nameof(Pow));

    /// <summary>Element-wise natural exponential.</summary>
    public Tensor Exp() => throw Functional.Pending(nameof(Exp));

    /// <summary>Element-wise natural logarithm.</summary>
    public Tensor Log() => throw Functional.Pending(nameof(Log));

    /// <summary>Element-wise clamp to [<paramref name="min"/>, <paramref name="max"/>]; the gradient passes only inside the range.</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    public Tensor Clamp(float min, float max) => throw Functional.Pending(nameof(Clamp));

    /// <summary>Element-wise maximum with broadcasting (the gradient goes to the larger operand; ties to this one).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Maximum(Tensor other) => throw Functional.Pending(nameof(Maximum));

    /// <summary>Element-wise minimum with broadcasting (ties go to this one).</summary>
    /// <param name="other">The other operand.</param>
    public Tensor Minimum(Tensor other) => throw Functional.Pending(nameof(Minimum));

    /// <summary>Picks <paramref name="whenTrue"/> where <paramref name="condition"/> is non-zero, else <paramref name="whenFalse"/>, with broadcasting.</summary>
    /// <param name="condition">A mask; it receives no gradient.</param>
    /// <param name="whenTrue">Values where the mask is non-zero.</param>
    /// <param name="whenFalse">Values where the mask is zero.</param>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse) => throw Functional.Pending(nameof(Where));

    /// <summary>A mask (1 or 0) of elements greater than <paramref name="value"/>; not differentiable.</summary>
    /// <param name="value">The threshold.</param>
    public Tensor GreaterThan(float value) => throw Functional.Pending(nameof(GreaterThan));

    /// <summary>The variance over <paramref name="dims"/>.</summary>
    /// <param name="dims">The dimensions to reduce.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <param name="unbiased">Divide by n − 1 instead of n.</param>
    public Tensor Variance(int[] dims, bool keepDim = false, bool unbiased = false) => throw Functional.Pending(nameof(Variance));

    /// <summary>The maximum over one dimension (the gradient goes to the first maximal element).</summary>
    /// <param name="dim">The dimension to reduce.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    public Tensor Max(int dim, bool keepDim = false) => throw Functional.Pending(nameof(Max));
}
