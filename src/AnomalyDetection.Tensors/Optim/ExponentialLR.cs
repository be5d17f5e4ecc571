namespace AnomalyDetection.Tensors.Optim;

/// <summary>Multiplies the learning rate by <see cref="Gamma"/> every epoch, PyTorch's <c>ExponentialLR</c>: lr = base · γ^epoch.</summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the rate of epoch 0.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="gamma">The decay factor per epoch.</param>
    public ExponentialLR(Optimizer optimizer, double gamma)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gamma);
        Gamma = gamma;
        Apply();
    }

    /// <summary>The decay factor per epoch.</summary>
    public double Gamma { get; }

    private protected override double LearningRateAt(double baseLearningRate, int epoch) => baseLearningRate * Math.Pow(Gamma, epoch);
}
