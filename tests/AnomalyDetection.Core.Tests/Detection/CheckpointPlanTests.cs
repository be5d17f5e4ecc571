using AnomalyDetection.Detection;

namespace AnomalyDetection.Core.Tests.Detection;

public sealed class CheckpointPlanTests
{
    private static readonly Action<TrainingCheckpoint> Save = _ => { };
    private static readonly Action<TrainingCheckpoint> Restore = _ => { };

    [Fact]
    public void FromOptions_WithoutADirectory_IsNull() =>
        Assert.Null(CheckpointPlan.FromOptions(new PlainOptions(), "x.safetensors", "x-1", "fp", Save, Restore));

    [Fact]
    public void FromOptions_WithADirectory_PutsTheFileThereAtTheOptionsInterval()
    {
        var options = new PlainOptions { CheckpointDirectory = Path.Combine("runs", "a"), CheckpointInterval = 250 };

        var plan = CheckpointPlan.FromOptions(options, "x.safetensors", "x-1", "fp", Save, Restore);

        Assert.Equal(new CheckpointPlan(Path.Combine("runs", "a", "x.safetensors"), 250, "x-1", "fp", Save, Restore), plan);
    }

    private sealed class PlainOptions : DetectorOptions;
}
