namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// RMSprop (Hinton), PyTorch's <c>torch.optim.RMSprop</c>: divides the gradient by a running root mean square,
/// optionally centred (by the running mean gradient) and with momentum. Note that ε is added after the square root,
/// as in PyTorch (Keras adds it inside).
/// </summary>
public sealed class RMSprop : Optimizer
{
    private readonly string[] _buffers;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="alpha">Decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability.</param>
    /// <param name="weightDecay">L2 penalty: weightDecay·p is added to the gradient.</param>
    /// <param name="momentum">Momentum factor; 0 for none.</param>
    /// <param name="centered">Normalise by the estimated variance of the gradient rather than its second moment.</param>
    public RMSprop(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1).");
        }

        if (!(epsilon >= 0) || double.IsPositiveInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and not negative.");
        }

        if (!(weightDecay >= 0) || double.IsPositiveInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be finite and not negative.");
        }

        if (!(momentum >= 0) || double.IsPositiveInfinity(momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be finite and not negative.");
        }

        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _buffers = [
            "square_avg",
            .. momentum > 0 ? new[] { "momentum_buffer" } : [],
            .. centered ? new[] { "grad_avg" } : [],
        ];
    }

    /// <summary>Decay of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 penalty factor.</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator is centred by the running mean gradient.</summary>
    public bool Centered { get; }

    private protected override IReadOnlyList<string> BufferNames => _buffers;

    private protected override IEnumerable<(string Name, double Value)> Hyperparameters() =>
        [("alpha", Alpha), ("eps", Epsilon), ("weight_decay", WeightDecay), ("momentum", Momentum), ("centered", Centered ? 1 : 0)];

    private protected override void Update(int index, float[] parameter, float[] gradient)
    {
        var state = State(index);
        state.Step++;
        var n = parameter.Length;
        var squareAvg = state.Buffer("square_avg", n);
        var momentumBuffer = Momentum > 0 ? state.Buffer("momentum_buffer", n) : null;
        var gradAvg = Centered ? state.Buffer("grad_avg", n) : null;
        var scalars = new RMSpropScalars((float)WeightDecay, (float)Alpha, (float)(1 - Alpha), (float)Epsilon, (float)Momentum, (float)-LearningRate);
        UpdateKernels.RMSprop(parameter, gradient, squareAvg, gradAvg, momentumBuffer, scalars);
    }
}
