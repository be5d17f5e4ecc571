namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Sets an optimiser's learning rate from a schedule over epochs (or steps: whatever the caller counts with
/// <see cref="Step"/>), PyTorch's <c>torch.optim.lr_scheduler</c>. The rate is computed in closed form from the rate
/// the optimiser had when the schedule was created, so it does not drift with repeated multiplication.
/// </summary>
/// <remarks>Creating a schedule sets the rate of epoch 0 at once, as PyTorch does; call <see cref="Step"/> after each
/// epoch's optimiser steps.</remarks>
public abstract class LRScheduler
{
    private protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimiser whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate of epoch 0 before any factor: the optimiser's rate when the schedule was created.</summary>
    public double BaseLearningRate { get; private set; }

    /// <summary>The epoch whose rate is in effect: 0 after creation, one more after each <see cref="Step"/>.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate this schedule last set.</summary>
    public double LearningRate => Optimizer.LearningRate;

    /// <summary>Moves to the next epoch and sets its learning rate.</summary>
    public void Step()
    {
        LastEpoch = checked(LastEpoch + 1);
        Apply();
    }

    /// <summary>The schedule's position (<c>base_lr</c>, <c>last_epoch</c>), to save with the optimiser's state.</summary>
    public Dictionary<string, double> StateDict() => new(StringComparer.Ordinal)
    {
        ["base_lr"] = BaseLearningRate,
        ["last_epoch"] = LastEpoch,
    };

    /// <summary>Restores a position saved by <see cref="StateDict"/> and sets the optimiser's rate for it.</summary>
    /// <param name="state">The saved position.</param>
    /// <exception cref="ArgumentException">A key is missing or a value is out of range.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue("base_lr", out var baseLearningRate) || !(baseLearningRate >= 0) || double.IsPositiveInfinity(baseLearningRate))
        {
            throw new ArgumentException("The schedule state needs a finite, non-negative 'base_lr'.", nameof(state));
        }

        if (!state.TryGetValue("last_epoch", out var lastEpoch) || !(lastEpoch >= 0 && lastEpoch <= int.MaxValue) || lastEpoch != Math.Floor(lastEpoch))
        {
            throw new ArgumentException("The schedule state needs a whole, non-negative 'last_epoch'.", nameof(state));
        }

        BaseLearningRate = baseLearningRate;
        LastEpoch = (int)lastEpoch;
        Apply();
    }

    /// <summary>The learning rate of <paramref name="epoch"/>, from <paramref name="baseLearningRate"/>.</summary>
    private protected abstract double LearningRateAt(double baseLearningRate, int epoch);

    /// <summary>Sets the rate of <see cref="LastEpoch"/>; derived constructors call it once their settings are stored.</summary>
    private protected void Apply() => Optimizer.LearningRate = LearningRateAt(BaseLearningRate, LastEpoch);
}
