namespace AnomalyDetection.Tensors.NN;

/// <summary>A fully connected layer y = x·Wᵀ + b, PyTorch's <c>nn.Linear</c>.</summary>
/// <remarks>Weight and bias start as U(±1/√inFeatures), PyTorch's default.</remarks>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer and initialises it.</summary>
    /// <param name="inFeatures">The size of the last input dimension.</param>
    /// <param name="outFeatures">The size of the last output dimension.</param>
    /// <param name="hasBias">Whether to learn an additive bias.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public Linear(int inFeatures, int outFeatures, bool hasBias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var source = Init.Resolve(random, nameof(Linear));
        Weight = RegisterParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        Init.DefaultWeight(Weight, source);
        if (hasBias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
            Init.DefaultBias(Bias, Weight, source);
        }
    }

    /// <summary>The size of the last input dimension.</summary>
    public int InFeatures { get; }

    /// <summary>The size of the last output dimension.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, of shape (outFeatures, inFeatures).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, of shape (outFeatures), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the layer.</summary>
    /// <param name="input">Input of shape (*, inFeatures).</param>
    /// <returns>Output of shape (*, outFeatures).</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
        {
            throw new ArgumentException(
                $"Linear({InFeatures} → {OutFeatures}) expects input of shape (*, {InFeatures}) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        return Functional.Linear(input, Weight, Bias);
    }
}
