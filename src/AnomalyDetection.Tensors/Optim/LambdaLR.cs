namespace AnomalyDetection.Tensors.Optim;

/// <summary>Sets the learning rate to base · f(epoch) for a caller's function f, PyTorch's <c>LambdaLR</c>.</summary>
/// <example>SAGAN's decay, which lowers the rate by base/50,000 every 1,000 iterations after iteration 50,000:
/// <code>new LambdaLR(optimizer, it => it &lt;= 50_000 ? 1.0 : 1.0 - ((it - 50_000) / 1_000 / 50_000.0))</code></example>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double> _factor;

    /// <summary>Creates the schedule and sets the rate of epoch 0.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="factor">The multiplier of the base rate for each epoch; must return a finite, non-negative value.</param>
    public LambdaLR(Optimizer optimizer, Func<int, double> factor)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(factor);
        _factor = factor;
        Apply();
    }

    private protected override double LearningRateAt(double baseLearningRate, int epoch)
    {
        var factor = _factor(epoch);
        if (!(factor >= 0) || double.IsPositiveInfinity(factor))
        {
            throw new InvalidOperationException($"The schedule function returned {factor} for epoch {epoch}; it must be finite and not negative.");
        }

        return baseLearningRate * factor;
    }
}
