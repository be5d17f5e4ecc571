namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, PyTorch's
/// <c>torch.optim.SGD</c>: the momentum buffer starts as the first gradient, then b ← μ·b + (1 − dampening)·g.
/// </summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] MomentumBuffers = ["momentum_buffer"];

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size (PyTorch has no default).</param>
    /// <param name="momentum">Momentum factor; 0 for plain SGD.</param>
    /// <param name="dampening">Dampening of the gradient in the momentum buffer.</param>
    /// <param name="weightDecay">L2 penalty: weightDecay·p is added to the gradient.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    public SGD(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0,
        bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0) || double.IsPositiveInfinity(momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be finite and not negative.");
        }

        if (!double.IsFinite(dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "dampening must be finite.");
        }

        if (!(weightDecay >= 0) || double.IsPositiveInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and not negative.");
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0, but got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <summary>The momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>The dampening of the gradient in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty factor.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    private protected override IReadOnlyList<string> BufferNames => Momentum > 0 ? MomentumBuffers : [];

    private protected override IEnumerable<(string Name, double Value)> Hyperparameters() =>
        [("momentum", Momentum), ("dampening", Dampening), ("weight_decay", WeightDecay), ("nesterov", Nesterov ? 1 : 0)];

    private protected override void Update(int index, float[] parameter, float[] gradient)
    {
        float[]? buffer = null;
        var first = false;
        if (Momentum > 0)
        {
            var state = State(index);
            first = state.Step == 0;
            state.Step++;
            buffer = state.Buffer("momentum_buffer", parameter.Length);
        }

        // On the first step the zeroed buffer becomes the gradient exactly: 0·0 + 1·d.
        var scalars = new SgdScalars(
            WeightDecay: (float)WeightDecay,
            BufferMomentum: first ? 0f : (float)Momentum,
            GradientScale: first ? 1f : (float)(1 - Dampening),
            Momentum: (float)Momentum,
            Nesterov: Nesterov,
            NegativeLearningRate: (float)-LearningRate);
        UpdateKernels.Sgd(parameter, gradient, buffer, scalars);
    }
}
