using AnomalyDetection.Detection;

namespace AnomalyDetection.Core.Tests.Detection;

public class RemainingTimeEstimateTests
{
    [Fact]
    public void StepCompleted_LeavesOutTheSlowFirstStep()
    {
        // A first step of 10 s (warm-up), then 1 s a step: after step 3 of 10, 7 steps at 1 s remain.
        var now = TimeSpan.Zero;
        var estimate = new RemainingTimeEstimate(0, () => now);

        now = TimeSpan.FromSeconds(10);
        Assert.Null(estimate.StepCompleted(1, 10));
        now = TimeSpan.FromSeconds(11);
        Assert.Equal(TimeSpan.FromSeconds(8), estimate.StepCompleted(2, 10));
        now = TimeSpan.FromSeconds(12);
        Assert.Equal(TimeSpan.FromSeconds(7), estimate.StepCompleted(3, 10));
        now = TimeSpan.FromSeconds(19);
        Assert.Equal(TimeSpan.Zero, estimate.StepCompleted(10, 10));
        Assert.Equal(TimeSpan.FromSeconds(19), estimate.Elapsed);
    }

    [Fact]
    public void StepCompleted_AfterResume_CountsFromTheResumedStep()
    {
        var now = TimeSpan.Zero;
        var estimate = new RemainingTimeEstimate(500, () => now);

        now = TimeSpan.FromSeconds(30);
        Assert.Null(estimate.StepCompleted(501, 1000));
        now = TimeSpan.FromSeconds(32);
        Assert.Equal(TimeSpan.FromSeconds(996), estimate.StepCompleted(502, 1000)); // 498 steps at 2 s
    }
}
