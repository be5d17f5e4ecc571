using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Serialization;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.NN;

public class LayerForwardTests
{
    private static readonly string TestNetFixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "nn", "testnet.safetensors");

    [Fact]
    public void TestNet_WithPyTorchWeights_ReproducesTrainingAndEvaluationOutputs()
    {
        // Fixtures/nn/make_testnet_fixture.py: PyTorch's initial weights, one training-mode forward, one evaluation-mode forward.
        var fixture = SafeTensors.Load(TestNetFixture).Tensors;
        var net = new TestNet(new RandomSource(1));
        net.LoadStateDict(WithPrefix(fixture, "initial."));

        using (GradMode.NoGrad())
        {
            TensorAssert.Close(fixture["train_output"], net.Forward(fixture["input"]), 1e-4, 1e-4);
            foreach (var (name, expected) in WithPrefix(fixture, "trained."))
            {
                TensorAssert.Close(expected, net.StateDict()[name], 1e-5, 1e-4);
            }

            net.Eval();
            TensorAssert.Close(fixture["eval_output"], net.Forward(fixture["input"]), 1e-4, 1e-4);
        }
    }

    [Fact]
    public void BatchNorm2d_Eval_UsesRunningStatistics()
    {
        var bn = new BatchNorm2d(2);
        new[] { 1f, -1f }.CopyTo(bn.RunningMean!.AsSpan());
        new[] { 4f, 0.25f }.CopyTo(bn.RunningVar!.AsSpan());
        bn.Eval();
        var y = bn.Forward(Tensor.FromArray([3f, 5f, 0f, 1f], 1, 2, 1, 2));
        TensorAssert.Close([2f / MathF.Sqrt(4.00001f), 4f / MathF.Sqrt(4.00001f), 1f / MathF.Sqrt(0.25001f), 2f / MathF.Sqrt(0.25001f)], y.Span);
        Assert.Equal(0f, bn.NumBatchesTracked!.ToScalar());
    }

    [Fact]
    public void InstanceNorm2d_AlwaysUseInstanceStatistics_IgnoresRunningStatisticsInEval()
    {
        var x = TensorAssert.Random(3, 2, 2, 3, 3);
        var plain = new InstanceNorm2d(2, trackRunningStats: true);
        var always = new InstanceNorm2d(2, trackRunningStats: true, alwaysUseInstanceStatistics: true);
        var training = plain.Forward(x);
        always.Eval();
        var evaluated = always.Forward(x);
        TensorAssert.Close(training, evaluated);
        Assert.Equal([0f, 0f], always.RunningMean!.ToArray());
        Assert.Equal(0f, always.NumBatchesTracked!.ToScalar());

        // Training mode moved the plain layer's running mean towards the batch mean; PyTorch never counts instance-norm batches.
        Assert.NotEqual([0f, 0f], plain.RunningMean!.ToArray());
        Assert.Equal(0f, plain.NumBatchesTracked!.ToScalar());
    }

    [Fact]
    public void Dropout_EvalIsIdentity_TrainingZeroesAndRescales()
    {
        var dropout = new Dropout(0.25f, new RandomSource(5));
        var x = Tensor.Ones(4000);
        var trained = dropout.Forward(x).ToArray();
        Assert.All(trained, v => Assert.True(v == 0f || Math.Abs(v - (1f / 0.75f)) < 1e-6f));
        Assert.InRange(trained.Count(v => v == 0f), 850, 1150);
        dropout.Eval();
        Assert.Equal(x.ToArray(), dropout.Forward(x).ToArray());
    }

    [Fact]
    public void Pooling_TwoByTwo_MatchesHandComputed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], 1, 1, 4, 4);
        Assert.Equal([6f, 8f, 14f, 16f], new MaxPool2d(2).Forward(x).ToArray());
        Assert.Equal([3.5f, 5.5f, 11.5f, 13.5f], new AvgPool2d(2).Forward(x).ToArray());
    }

    [Fact]
    public void Upsample_NearestByTwoAndBilinearToSize_MatchHandComputed()
    {
        var x = Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2);
        Assert.Equal([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f], new Upsample(scaleFactor: 2).Forward(x).ToArray());
        var bilinear = new Upsample(size: (3, 3), mode: UpsampleMode.Bilinear, alignCorners: true).Forward(x);
        Assert.Equal([1f, 1.5f, 2f, 2f, 2.5f, 3f, 3f, 3.5f, 4f], bilinear.ToArray());
    }

    [Fact]
    public void Activations_MatchHandComputed()
    {
        var x = Tensor.FromArray([-2f, 0f, 1.5f], 3);
        Assert.Equal([0f, 0f, 1.5f], new ReLU().Forward(x).ToArray());
        Assert.Equal([-0.4f, 0f, 1.5f], new LeakyReLU(0.2f).Forward(x).ToArray());
        TensorAssert.Close([MathF.Tanh(-2f), 0f, MathF.Tanh(1.5f)], new Tanh().Forward(x).Span);
        TensorAssert.Close([1f / (1f + MathF.Exp(2f)), 0.5f, 1f / (1f + MathF.Exp(-1.5f))], new Sigmoid().Forward(x).Span);

        // PyTorch: torch.nn.GELU()(torch.tensor([-2.0, 0.0, 1.5])) == [-0.045500099658966064, 0.0, 1.3997890949249268]
        TensorAssert.Close([-0.0455000997f, 0f, 1.39978909f], new GELU().Forward(x).Span);
        Assert.Same(x, new Identity().Forward(x));
    }

    private static Dictionary<string, Tensor> WithPrefix(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
}
