namespace AnomalyDetection.Tensors.NN;

/// <summary>Layer normalisation over the trailing dimensions, PyTorch's <c>nn.LayerNorm</c>.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly int[] _normalizedShape;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    /// <param name="normalizedShape">The shape of the trailing dimensions normalised together, e.g. (C, H, W).</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="elementwiseAffine">Whether to learn a scale and shift of <paramref name="normalizedShape"/>.</param>
    public LayerNorm(int[] normalizedShape, float epsilon = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || Array.Exists(normalizedShape, d => d <= 0))
        {
            throw new ArgumentException($"LayerNorm needs a non-empty shape of positive sizes, but got {ShapeUtil.Format(normalizedShape)}.", nameof(normalizedShape));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        _normalizedShape = (int[])normalizedShape.Clone();
        Epsilon = epsilon;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(_normalizedShape));
        }
    }

    /// <summary>The shape of the trailing dimensions normalised together.</summary>
    public ReadOnlySpan<int> NormalizedShape => _normalizedShape;

    /// <summary>Added to the variance for stability.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ, of <see cref="NormalizedShape"/>, or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift β, of <see cref="NormalizedShape"/>, or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <summary>Normalises the trailing dimensions.</summary>
    /// <param name="input">Input of shape (*, normalizedShape).</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dims = _normalizedShape.Length;
        if (input.Rank < dims || !input.Shape[^dims..].SequenceEqual(_normalizedShape))
        {
            throw new ArgumentException(
                $"LayerNorm{ShapeUtil.Format(_normalizedShape)} expects input of shape (*, {string.Join(", ", _normalizedShape)}) but got shape {ShapeUtil.Format(input.Shape)}.",
                nameof(input));
        }

        return Functional.LayerNorm(input, dims, Weight, Bias, Epsilon);
    }
}
