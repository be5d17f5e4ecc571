namespace AnomalyDetection.Evaluation.Tests;

public sealed class RecordedCommandTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "work", "repo");

    [Fact]
    public void Of_AbsolutePaths_AreWrittenRelativeToTheRoot()
    {
        var shared = Path.Combine(Path.GetTempPath(), "work", "shared", "datasets", "br35h");
        var results = Path.Combine(Root, "benchmarks", "results", "side.jsonl");

        var command = RecordedCommand.Of(["run", "--dataset", shared, "--detector", "sagan", "--results", results, "--seed", "0", "1"], Root);

        Assert.Equal($"{RecordedCommand.Invocation} run --dataset ../shared/datasets/br35h --detector sagan --results benchmarks/results/side.jsonl --seed 0 1", command);
    }

    [Fact]
    public void Of_EqualsFormAndRelativePaths_KeepTheirFormAndResolveFromTheRoot()
    {
        var command = RecordedCommand.Of(["run", "--configurations=./benchmarks/../benchmarks/configurations.json", "--dataset", "data/pneumoniamnist"], Root);

        Assert.Equal($"{RecordedCommand.Invocation} run --configurations=benchmarks/configurations.json --dataset data/pneumoniamnist", command);
    }

    [Fact]
    public void Of_OtherArgumentsAndAPathOptionWithoutItsValue_AreKeptAsTyped()
    {
        var command = RecordedCommand.Of(["run", "--set", "MaxSteps=3", "--config", "/not/a/path/option", "--dataset"], Root);

        Assert.Equal($"{RecordedCommand.Invocation} run --set MaxSteps=3 --config /not/a/path/option --dataset", command);
    }
}
