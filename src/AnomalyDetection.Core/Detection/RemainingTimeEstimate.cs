using System.Diagnostics;

namespace AnomalyDetection.Detection;

/// <summary>
/// Estimates a training's remaining time from the speed of its steps so far, leaving out the first step of a run:
/// it carries one-off costs (JIT compilation, first allocations) that made early estimates several times too long.
/// </summary>
public sealed class RemainingTimeEstimate
{
    private readonly Func<TimeSpan> _elapsed;
    private readonly long _startStep;
    private TimeSpan _firstStepEnded;

    /// <summary>Starts timing a run that begins after <paramref name="startStep"/> completed steps (0, or a resumed step).</summary>
    public RemainingTimeEstimate(long startStep)
        : this(startStep, Stopwatch.StartNew())
    {
    }

    private RemainingTimeEstimate(long startStep, Stopwatch clock)
        : this(startStep, () => clock.Elapsed)
    {
    }

    /// <summary>Starts timing with an injected clock (for tests).</summary>
    internal RemainingTimeEstimate(long startStep, Func<TimeSpan> elapsed)
    {
        _startStep = startStep;
        _elapsed = elapsed;
    }

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed => _elapsed();

    /// <summary>Records that <paramref name="done"/> steps are complete and estimates the time for the rest.</summary>
    /// <returns>The estimate, or null after the run's first step, when no representative step has been timed yet.</returns>
    public TimeSpan? StepCompleted(long done, long total)
    {
        var now = _elapsed();
        var timed = done - _startStep - 1;
        if (timed <= 0)
        {
            _firstStepEnded = now;
            return null;
        }

        return (now - _firstStepEnded) * ((double)Math.Max(0, total - done) / timed);
    }
}
