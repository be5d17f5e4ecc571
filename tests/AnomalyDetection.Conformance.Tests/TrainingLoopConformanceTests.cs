using AnomalyDetection.Detection;
using AnomalyDetection.TestSupport;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Validation and early stopping, which every detector gets from the shared training loop.</summary>
public class TrainingLoopConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCases.TrainedNames), MemberType = typeof(ConformanceCases))]
    public void Fit_Validation_ReportsTheMetricEveryIntervalAndAfterTheLastStep(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.CreateForSteps!(5, o => o.ValidationInterval = 2);
        var reports = new List<TrainingProgress>();

        detector.Fit(ConformanceCases.Data(c), new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.Equal([1L, 2, 3, 4, 5], reports.Select(r => r.Step));
        // Step 1 precedes the first validation; later reports carry the latest metric (steps 2, 4 and the last, 5).
        Assert.Equal([false, true, true, true, true], reports.Select(r => r.ValidationMetric.HasValue));
        Assert.All(reports.Skip(1), r => Assert.True(double.IsFinite(r.ValidationMetric!.Value)));
        Assert.Equal(reports[1].ValidationMetric, reports[2].ValidationMetric);
        Assert.NotEqual(reports[1].ValidationMetric, reports[3].ValidationMetric);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.TrainedNames), MemberType = typeof(ConformanceCases))]
    public void Fit_EarlyStopping_StopsAndKeepsTheFirstValidatedWeights(string name)
    {
        // Validation after every step; an improvement must exceed 10, so only the first validation counts as one, and
        // two more validations without one stop the run after step 3.
        var c = ConformanceCases.Get(name);
        var stopped = c.CreateForSteps!(6, o => (o.ValidationInterval, o.EarlyStoppingPatience, o.EarlyStoppingMinDelta) = (1, 2, 10));
        var once = c.CreateForSteps!(1, _ => { });
        var data = ConformanceCases.Data(c);

        stopped.Fit(data);
        once.Fit(data);

        Assert.Equal((3L, 1L), (stopped.LastTraining!.Steps, stopped.LastTraining.SelectedStep!.Value));
        var probe = SyntheticImages.TestSet(c.ImageSize, c.Channels, 3).Select(i => i.LoadImage()).ToList();
        Assert.Equal(once.PredictBatch(probe).Select(p => p.Score), stopped.PredictBatch(probe).Select(p => p.Score));
    }
}
