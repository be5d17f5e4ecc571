using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// The training loop every detector runs: it counts the steps, calls the detector's step, checks the losses for
/// divergence, validates, stops early, keeps the best weights, checkpoints and resumes, reports progress and honours
/// cancellation. The detector supplies the step (step index in, named losses out; how it draws its batch is its own
/// business) and its part of the checkpoint.
/// </summary>
/// <remarks>Everything a step depends on is either derived from its index or checkpointed, so a run resumed from a
/// checkpoint continues bit for bit as an uninterrupted one would.</remarks>
public sealed class TrainingLoop
{
    private readonly long _maxSteps;
    private readonly int _stepsPerEpoch;

    /// <summary>Creates a loop.</summary>
    /// <param name="maxSteps">The steps to run unless validation stops early; positive.</param>
    /// <param name="stepsPerEpoch">Steps in one pass over the data, for the epoch in progress reports; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public TrainingLoop(long maxSteps, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        _maxSteps = maxSteps;
        _stepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>Where and how to checkpoint; null (the default) for none.</summary>
    public CheckpointPlan? Checkpoints { get; init; }

    /// <summary>How to validate; null (the default) for no validation, early stopping or selection.</summary>
    public ValidationPlan? Validation { get; init; }

    /// <summary>Receives resume, validation and selection messages.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Trains, or resumes from <see cref="Checkpoints"/> when its file exists, until the steps are done or
    /// validation stops early; then keeps the selected weights (see <see cref="ValidationPlan"/>).</summary>
    /// <param name="step">Runs step i (from 0) and returns the losses it computed; a loss it leaves out keeps its last
    /// value. It runs inside a dispose scope: tensors it creates and does not move out are freed after it.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>The steps done (counting those before a resume), this run's time, the last losses and the selected step.</returns>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the step is not checkpointed.</exception>
    /// <exception cref="InvalidCheckpointException">The checkpoint file is damaged, or of another format, settings or data.</exception>
    public TrainingSummary Run(Func<long, IReadOnlyDictionary<string, double>> step, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        using var state = Resume() ?? new TrainingLoopState();
        var clock = new RemainingTimeEstimate(state.Step);
        while (state.Step < _maxSteps && !state.StoppedEarly)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (torch.NewDisposeScope())
            {
                foreach (var (name, value) in step(state.Step))
                {
                    state.Losses[name] = value;
                }
            }

            state.Step++;
            var done = state.Step;
            TrainingDivergedException.ThrowIfDiverged(done, state.Losses);
            var validated = false;
            if (Validation is { } validation && (done % validation.Interval == 0 || done == _maxSteps))
            {
                Validate(validation, state);
                validated = true;
            }

            if (Checkpoints is { } checkpoints && (done % checkpoints.Interval == 0 || done == _maxSteps || state.StoppedEarly))
            {
                Save(checkpoints, state);
            }

            var remaining = clock.StepCompleted(done, _maxSteps);
            progress?.Report(new TrainingProgress(
                (int)((done - 1) / _stepsPerEpoch) + 1,
                done,
                _maxSteps,
                new Dictionary<string, double>(state.Losses, StringComparer.Ordinal),
                state.LastMetric,
                clock.Elapsed,
                remaining,
                validated));
        }

        return new TrainingSummary(state.Step, clock.Elapsed, new Dictionary<string, double>(state.Losses, StringComparer.Ordinal), Select(state));
    }

    private TrainingLoopState? Resume()
    {
        if (Checkpoints is not { } plan || !File.Exists(plan.Path))
        {
            return null;
        }

        // The file's tensors are freed once copied in, except the best weights, which the run keeps.
        using var scope = torch.NewDisposeScope();
        var state = TrainingCheckpoint.Resume(plan.Path, plan.Format, plan.Fingerprint, checkpoint =>
        {
            plan.RestoreState(checkpoint);
            return TrainingLoopState.Restore(checkpoint, Validation?.Average);
        });
        TrainingLoopLog.Resumed(Logger, plan.Path, state.Step);
        return state;
    }

    private void Save(CheckpointPlan plan, TrainingLoopState state)
    {
        // The CPU copies of weights and moments live only until the file is written.
        using var scope = torch.NewDisposeScope();
        var checkpoint = new TrainingCheckpoint();
        plan.SaveState(checkpoint);
        state.Save(checkpoint, Validation?.Average);
        checkpoint.Save(plan.Path, plan.Format, plan.Fingerprint);
    }

    private void Validate(ValidationPlan validation, TrainingLoopState state)
    {
        // With an average, the averaged weights are both the ones validated and the ones kept as the best.
        using var averaged = validation.Average?.SwapIntoModule();
        var metric = validation.Metric();
        state.LastMetric = metric;
        if (state.BestMetric is not { } best || metric < best - validation.EarlyStoppingMinDelta)
        {
            state.BestMetric = metric;
            state.BestStep = state.Step;
            state.StaleValidations = 0;
            if (validation.KeepsBest)
            {
                state.ReplaceBestWeights(StateDicts.Export(validation.Module));
            }
        }
        else
        {
            state.StaleValidations++;
            if (validation.EarlyStoppingPatience > 0 && state.StaleValidations >= validation.EarlyStoppingPatience)
            {
                state.StoppedEarly = true;
                TrainingLoopLog.EarlyStopped(Logger, state.Step, validation.EarlyStoppingPatience, state.BestStep, state.BestMetric.Value);
            }
        }

        TrainingLoopLog.Validated(Logger, state.Step, metric, state.BestMetric.Value, state.BestStep);
    }

    /// <summary>Puts the weights to keep into the validated module: the best ones when selected or stopped early,
    /// otherwise the average when there is one (else the last weights stay).</summary>
    /// <returns>The step whose weights were restored, or null.</returns>
    private long? Select(TrainingLoopState state)
    {
        if (Validation is not { } validation)
        {
            return null;
        }

        if ((state.StoppedEarly || validation.SelectBest) && state.BestWeights is { } best)
        {
            StateDicts.LoadStrict(validation.Module, best, "the best weights");
            TrainingLoopLog.SelectedBest(Logger, state.BestStep, state.BestMetric ?? double.NaN);
            return state.BestStep;
        }

        validation.Average?.CopyToModule();
        return null;
    }
}
