namespace AnomalyDetection.Tensors.Optim;

/// <summary>Scales the learning rate by a factor that moves linearly from <see cref="StartFactor"/> to
/// <see cref="EndFactor"/> over <see cref="TotalIters"/> epochs and then stays, PyTorch's <c>LinearLR</c>; with a small
/// start factor it is a linear warm-up.</summary>
public sealed class LinearLR : LRScheduler
{
    /// <summary>Creates the schedule and sets the rate of epoch 0.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="startFactor">The factor at epoch 0, in (0, 1].</param>
    /// <param name="endFactor">The factor from epoch <paramref name="totalIters"/> on, in [0, 1].</param>
    /// <param name="totalIters">The number of epochs the factor takes to change.</param>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
        : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be in (0, 1].");
        }

        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "The end factor must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalIters);
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Apply();
    }

    /// <summary>The factor at epoch 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor from epoch <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>The number of epochs the factor takes to change.</summary>
    public int TotalIters { get; }

    private protected override double LearningRateAt(double baseLearningRate, int epoch) =>
        baseLearningRate * (StartFactor + ((EndFactor - StartFactor) * Math.Min(epoch, TotalIters) / TotalIters));
}
