namespace AnomalyDetection.Tensors.Optim;

/// <summary>Anneals the learning rate along a half cosine from its base to <see cref="MinLearningRate"/> over
/// <see cref="TMax"/> epochs, PyTorch's <c>CosineAnnealingLR</c>: lr = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2.
/// Past T_max the cosine continues, rising again, as PyTorch's does.</summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the rate of epoch 0.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="tMax">The number of epochs from the base rate to the minimum.</param>
    /// <param name="minLearningRate">The rate reached at epoch <paramref name="tMax"/> (PyTorch's eta_min).</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double minLearningRate = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        TMax = tMax;
        MinLearningRate = minLearningRate;
        Apply();
    }

    /// <summary>The number of epochs from the base rate to the minimum.</summary>
    public int TMax { get; }

    /// <summary>The rate reached at epoch <see cref="TMax"/>.</summary>
    public double MinLearningRate { get; }

    private protected override double LearningRateAt(double baseLearningRate, int epoch) =>
        MinLearningRate + ((baseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2);
}
