using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Detection;

public class TrainingCheckpointTests
{
    [Fact]
    public void RestoreOptimizer_ThenMoreSteps_MatchesAnUninterruptedRunBitForBit()
    {
        var path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.safetensors");
        try
        {
            var (uninterrupted, uninterruptedAdam) = Model();
            Steps(uninterrupted, uninterruptedAdam, 0, 5);

            var (first, firstAdam) = Model();
            Steps(first, firstAdam, 0, 2);
            var saved = new TrainingCheckpoint();
            saved.AddTensors("net.", StateDicts.Export(first));
            saved.AddOptimizer("adam.", firstAdam);
            saved.Save(path, "test-1", "fingerprint");

            var (resumed, resumedAdam) = Model();
            TrainingCheckpoint.Resume(path, "test-1", "fingerprint", checkpoint =>
            {
                StateDicts.LoadStrict(resumed, checkpoint.Tensors("net."), "the model");
                checkpoint.RestoreOptimizer("adam.", resumedAdam);
                return 0;
            });
            Steps(resumed, resumedAdam, 2, 5);

            Assert.All(StateDicts.Export(uninterrupted), p =>
                Assert.Equal(TensorData.ToArray(p.Value).Select(BitConverter.SingleToInt32Bits), TensorData.ToArray(resumed.state_dict()[p.Key]).Select(BitConverter.SingleToInt32Bits)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RestoreOptimizer_OtherParameterCount_SaysSoAndNamesTheCheckpoint()
    {
        var path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.safetensors");
        try
        {
            var (model, adam) = Model();
            Steps(model, adam, 0, 1);
            var saved = new TrainingCheckpoint();
            saved.AddOptimizer("adam.", adam);
            saved.Save(path, "test-1", "fingerprint");
            using var other = new AdamOptimizer(Linear(2, 2, hasBias: false).parameters(), 1e-3);

            var error = Assert.Throws<InvalidCheckpointException>(() =>
                TrainingCheckpoint.Resume(path, "test-1", "fingerprint", c => { c.RestoreOptimizer("adam.", other); return 0; }));

            Assert.Contains(path, error.Message);
            Assert.Contains("holds the state of 2 parameters, but the optimizer has 1", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (Sequential Model, AdamOptimizer Optimizer) Model()
    {
        var model = Sequential(("fc", Linear(4, 3)));
        WeightInit.ResetParameters(model, new RandomSource(11));
        return (model, new AdamOptimizer(model.parameters(), 0.01, 0.5, 0.999));
    }

    /// <summary>Adam steps on a fixed regression batch, drawn per step index so that a resumed run sees the same data.</summary>
    private static void Steps(Sequential model, AdamOptimizer optimizer, int from, int to)
    {
        for (var step = from; step < to; step++)
        {
            using var scope = torch.NewDisposeScope();
            var values = new float[8 * 4];
            new RandomSource(step).FillUniform(values, -1, 1);
            var input = TensorData.FromArray(values, 8, 4);
            var loss = model.forward(input).Minus(0.5).Squared().mean();
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }
    }
}
