namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// The moment estimates, settings and update shared by <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in
/// how weight decay enters the step.
/// </summary>
public abstract class AdamBase : Optimizer
{
    private static readonly string[] Buffers = ["exp_avg", "exp_avg_sq"];

    private readonly AdamSettings _settings;
    private readonly bool _decoupled;

    private protected AdamBase(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double epsilon,
        double weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        _settings = new AdamSettings(beta1, beta2, epsilon, weightDecay);
        _decoupled = decoupled;
    }

    /// <summary>Decay of the first-moment average.</summary>
    public double Beta1 => _settings.Beta1;

    /// <summary>Decay of the second-moment average.</summary>
    public double Beta2 => _settings.Beta2;

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon => _settings.Epsilon;

    /// <summary>The weight-decay factor: an L2 penalty for <see cref="Adam"/>, decoupled decay for <see cref="AdamW"/>.</summary>
    public double WeightDecay => _settings.WeightDecay;

    private protected override IReadOnlyList<string> BufferNames => Buffers;

    private protected override IEnumerable<(string Name, double Value)> Hyperparameters() => _settings.Hyperparameters();

    private protected override void Update(int index, float[] parameter, float[] gradient)
    {
        var state = State(index);
        state.Step++;
        var scalars = _settings.Scalars(LearningRate, state.Step, _decoupled);
        UpdateKernels.Adam(parameter, gradient, state.Buffer("exp_avg", parameter.Length), state.Buffer("exp_avg_sq", parameter.Length), scalars);
    }
}
