namespace AnomalyDetection.Tensors.Optim;

/// <summary>The hyper-parameters <see cref="Adam"/> and <see cref="AdamW"/> share, validated once, and the per-step
/// constants derived from them.</summary>
internal sealed class AdamSettings
{
    public AdamSettings(double beta1, double beta2, double epsilon, double weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon >= 0) || double.IsPositiveInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and not negative.");
        }

        if (!(weightDecay >= 0) || double.IsPositiveInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and not negative.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    public IEnumerable<(string Name, double Value)> Hyperparameters() =>
        [("beta1", Beta1), ("beta2", Beta2), ("eps", Epsilon), ("weight_decay", WeightDecay)];

    /// <summary>The constants of update number <paramref name="step"/> (from 1), computed in double as PyTorch does.</summary>
    public AdamScalars Scalars(double learningRate, long step, bool decoupled)
    {
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        return new AdamScalars(
            Decay: decoupled ? (float)(1 - (learningRate * WeightDecay)) : 1f,
            L2: decoupled ? 0f : (float)WeightDecay,
            Beta1: (float)Beta1,
            OneMinusBeta1: (float)(1 - Beta1),
            Beta2: (float)Beta2,
            OneMinusBeta2: (float)(1 - Beta2),
            BiasCorrection2Sqrt: (float)Math.Sqrt(biasCorrection2),
            Epsilon: (float)Epsilon,
            NegativeStepSize: (float)(-learningRate / biasCorrection1));
    }
}
