namespace AnomalyDetection.Tensors.Optim;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs, PyTorch's <c>StepLR</c>:
/// lr = base · γ^⌊epoch / stepSize⌋.</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the rate of epoch 0.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="stepSize">Epochs between decays.</param>
    /// <param name="gamma">The decay factor.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        ArgumentOutOfRangeException.ThrowIfNegative(gamma);
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor.</summary>
    public double Gamma { get; }

    private protected override double LearningRateAt(double baseLearningRate, int epoch) => baseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
