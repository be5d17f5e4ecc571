namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter), PyTorch's <c>torch.optim.AdamW</c>: each step first
/// shrinks the parameters by (1 − lr·weightDecay), then applies the Adam update to the plain gradient.
/// </summary>
public sealed class AdamW : Optimizer
{
    private static readonly string[] Buffers = ["exp_avg", "exp_avg_sq"];

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability.</param>
    /// <param name="weightDecay">The decoupled decay factor; PyTorch's default is 0.01.</param>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate)
    {
        Settings = new AdamSettings(beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>Decay of the first-moment average.</summary>
    public double Beta1 => Settings.Beta1;

    /// <summary>Decay of the second-moment average.</summary>
    public double Beta2 => Settings.Beta2;

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon => Settings.Epsilon;

    /// <summary>The decoupled decay factor.</summary>
    public double WeightDecay => Settings.WeightDecay;

    private AdamSettings Settings { get; }

    private protected override IReadOnlyList<string> BufferNames => Buffers;

    private protected override IEnumerable<(string Name, double Value)> Hyperparameters() => Settings.Hyperparameters();

    private protected override void Update(int index, float[] parameter, float[] gradient)
    {
        var state = State(index);
        state.Step++;
        var scalars = Settings.Scalars(LearningRate, state.Step, decoupled: true);
        UpdateKernels.Adam(parameter, gradient, state.Buffer("exp_avg", parameter.Length), state.Buffer("exp_avg_sq", parameter.Length), scalars);
    }
}
