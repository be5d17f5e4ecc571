using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;

namespace AnomalyDetection.Reliability.Tests.Faults;

/// <summary>The shared checkpoint file: what it stores comes back exactly, and what does not fit the run is refused.</summary>
public class TrainingCheckpointTests
{
    [Fact]
    public void Resume_SavedState_RestoresWeightsOptimizerRandomPositionAndValues()
    {
        using var file = new TempFile();
        var (layer, optimizer) = Trained(seed: 1);
        var random = new RandomSource(7);
        random.NextNormal(); // leaves the pair's second value pending, which the position must keep
        var checkpoint = new TrainingCheckpoint();
        checkpoint.AddTensors("layer.", StateDicts.Export(layer));
        checkpoint.AddOptimizer("optimizer.", optimizer);
        checkpoint.AddRandomSource("random", random);
        checkpoint.SetPermutation("order", [2, 0, 1]);
        checkpoint.SetValues("loss.", new Dictionary<string, double> { ["a"] = 0.1 + 0.2 });
        checkpoint.Save(file.Path, "test-1", "fingerprint");
        float[] expectedDraws = [random.NextNormal(), random.NextNormal(), random.NextSingle()];
        optimizer.Step();
        var expectedStep = TensorData.ToArray(layer.weight!);

        var (restored, restoredOptimizer) = Trained(seed: 2);
        var restoredRandom = new RandomSource(8);
        var (order, losses) = TrainingCheckpoint.Resume(file.Path, "test-1", "fingerprint", c =>
        {
            StateDicts.LoadStrict(restored, c.Tensors("layer."), "the layer");
            c.RestoreOptimizer("optimizer.", restoredOptimizer);
            c.RestoreRandomSource("random", restoredRandom);
            return (c.GetPermutation("order", 3), c.GetValues("loss."));
        });

        Assert.Equal(expectedDraws, new[] { restoredRandom.NextNormal(), restoredRandom.NextNormal(), restoredRandom.NextSingle() });
        Assert.Equal(new[] { 2, 0, 1 }, order);
        Assert.Equal(0.1 + 0.2, losses["a"]);

        // The same gradients through restored moments give the same update.
        restored.weight!.grad = layer.weight!.grad;
        restored.bias!.grad = layer.bias!.grad;
        restoredOptimizer.Step();
        Assert.Equal(expectedStep, TensorData.ToArray(restored.weight));
    }

    [Theory]
    [InlineData("other-format", "fingerprint", "(format 'test-1'; this run reads 'other-format')")]
    [InlineData("test-1", "other", "other settings or data (checkpoint 'fingerprint', this run 'other')")]
    public void Resume_OtherFormatOrFingerprint_RefusesNamingTheMismatch(string format, string fingerprint, string expected)
    {
        using var file = new TempFile();
        new TrainingCheckpoint().Save(file.Path, "test-1", "fingerprint");

        var error = Assert.Throws<InvalidCheckpointException>(() => TrainingCheckpoint.Resume(file.Path, format, fingerprint, _ => 0));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,0,1")]
    [InlineData("0,1")]
    [InlineData("0,1,3")]
    [InlineData("0,-1,2")]
    public void Resume_OrderThatIsNotAPermutation_IsRefusedAsNotFittingTheRun(string order)
    {
        using var file = new TempFile();
        var checkpoint = new TrainingCheckpoint();
        checkpoint.SetValue("order", order);
        checkpoint.Save(file.Path, "test-1", "fingerprint");

        var error = Assert.Throws<InvalidCheckpointException>(() => TrainingCheckpoint.Resume(file.Path, "test-1", "fingerprint", c => c.GetPermutation("order", 3)));

        Assert.Contains("does not fit this run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomSourceRestore_AllZeroState_Throws() =>
        Assert.Throws<ArgumentException>(() => new RandomSource(1).Restore(new RandomSourceState(0, 0, 0, 0, null)));

    /// <summary>A linear layer after one Adam step on a fixed loss, with its gradients kept.</summary>
    private static (Linear Layer, AdamOptimizer Optimizer) Trained(long seed)
    {
        var layer = torch.nn.Linear(3, 2);
        WeightInit.ResetParameters(layer, new RandomSource(seed));
        var optimizer = new AdamOptimizer(layer.parameters(), 0.01);
        var input = TensorData.FromArray([1f, -2f, 0.5f], 1, 3);
        layer.forward(input).square().sum().backward();
        optimizer.Step();
        return (layer, optimizer);
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.safetensors");

        public void Dispose() => File.Delete(Path);
    }
}
