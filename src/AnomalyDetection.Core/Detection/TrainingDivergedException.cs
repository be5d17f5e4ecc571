using System.Globalization;

namespace AnomalyDetection.Detection;

/// <summary>
/// Thrown when a training loss becomes NaN or infinite, or when the trained model scores validation images as NaN or
/// infinite. Training stops: the detector is left unfitted (not with the broken weights), no checkpoint of the
/// diverged state is written and no model file can be saved.
/// </summary>
/// <remarks>Usual causes are a learning rate or loss weight far too high, or input intensities far outside the range
/// the preprocessing expects. A checkpointed run (where the detector supports it) can resume from its last good
/// checkpoint once the cause is fixed.</remarks>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public TrainingDivergedException()
        : this("Training diverged: a loss became NaN or infinite.")
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>.</summary>
    /// <param name="message">What diverged.</param>
    public TrainingDivergedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What diverged.</param>
    /// <param name="innerException">The lower-level failure, if any.</param>
    public TrainingDivergedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        LossName = "";
        Value = double.NaN;
    }

    /// <summary>Creates an exception for loss <paramref name="lossName"/> reaching <paramref name="value"/> at <paramref name="step"/>.</summary>
    /// <param name="step">The optimisation step (from 1) whose update produced the value.</param>
    /// <param name="lossName">The loss, as reported in <see cref="TrainingProgress.Losses"/>.</param>
    /// <param name="value">The non-finite value.</param>
    public TrainingDivergedException(long step, string lossName, double value)
        : base(Describe(step, lossName, value))
    {
        Step = step;
        LossName = lossName;
        Value = value;
    }

    /// <summary>Steps within which a NaN loss may come from unsound CPU kernels rather than from the settings.</summary>
    private const long EarlySteps = 10;

    /// <summary>The optimisation step (from 1) at which a loss became non-finite; 0 when unknown.</summary>
    public long Step { get; }

    /// <summary>The loss that became non-finite; empty when unknown.</summary>
    public string LossName { get; }

    /// <summary>The non-finite value the loss took.</summary>
    public double Value { get; }

    /// <summary>Throws when any of <paramref name="losses"/> is NaN or infinite. Trainers call this after every step,
    /// before checkpointing or reporting it.</summary>
    /// <param name="step">The step (from 1) that produced the losses.</param>
    /// <param name="losses">The step's losses by name.</param>
    /// <exception cref="TrainingDivergedException">A loss is NaN or infinite; the first in name order is reported.</exception>
    public static void ThrowIfDiverged(long step, IEnumerable<KeyValuePair<string, double>> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        KeyValuePair<string, double>? first = null;
        foreach (var loss in losses)
        {
            if (!double.IsFinite(loss.Value) && (first is null || string.CompareOrdinal(loss.Key, first.Value.Key) < 0))
            {
                first = loss;
            }
        }

        if (first is { } diverged)
        {
            throw new TrainingDivergedException(step, diverged.Key, diverged.Value);
        }
    }

    private static string Describe(long step, string lossName, double value)
    {
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Training diverged at step {step}: loss '{lossName}' is {value}. Training stopped without keeping the diverged weights; lower the learning rate or loss weights, or check the input intensities.");

        // NaN (not an overflow) within the first steps is how oneDNN's unsound wide kernels showed on one processor
        // (docs/performance.md); settings that are too aggressive overflow to infinity first.
        return double.IsNaN(value) && step <= EarlySteps
            ? message + " NaN this early on a CPU can also come from oneDNN's wider kernels on this processor: set ONEDNN_MAX_CPU_ISA=SSE41 and retry."
            : message;
    }
}
