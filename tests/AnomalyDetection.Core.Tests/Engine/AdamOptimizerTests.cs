using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Engine;

public class AdamOptimizerTests
{
    [Fact]
    public void Step_FiveSteps_MatchTorchSharpsAdamBitForBit()
    {
        var (ours, theirs) = (Model(), Model());
        using var optimizer = new AdamOptimizer(ours.parameters(), 0.01, 0.5, 0.999);
        var reference = torch.optim.Adam(theirs.parameters(), 0.01, 0.5, 0.999);

        for (var step = 0; step < 5; step++)
        {
            Loss(ours, step).backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            Loss(theirs, step).backward();
            reference.step();
            reference.zero_grad();
        }

        Assert.All(ours.state_dict(), p => TensorAssert.BitEqual(theirs.state_dict()[p.Key], p.Value));
        var moments = (Adam.State)reference.state_dict().State[0];
        TensorAssert.BitEqual(moments.exp_avg, optimizer.Moments[0].Average);
        TensorAssert.BitEqual(moments.exp_avg_sq, optimizer.Moments[0].SquaredAverage);
        Assert.All(optimizer.Moments, m => Assert.Equal(5, m.Step));
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsLeftAsItIs()
    {
        var model = Model();
        var frozen = Linear(2, 2);
        frozen.weight!.requires_grad = false;
        var before = frozen.weight.detach().clone();
        using var optimizer = new AdamOptimizer(model.parameters().Concat(frozen.parameters()), 0.01);

        Loss(model, 0).backward();
        optimizer.Step();

        TensorAssert.BitEqual(before, frozen.weight);
        Assert.Equal(0, optimizer.Moments[^2].Step);
        Assert.Equal(1, optimizer.Moments[0].Step);
    }

    [Fact]
    public void ZeroGrad_ZeroesEveryGradient()
    {
        var model = Model();
        using var optimizer = new AdamOptimizer(model.parameters(), 0.01);
        Loss(model, 0).backward();

        optimizer.ZeroGrad();

        Assert.All(model.parameters(), p => Assert.All(TensorData.ToArray(p.grad!), g => Assert.Equal(0f, g)));
    }

    [Theory]
    [InlineData(0.0, 0.9, 0.999, 1e-8, "learningRate")]
    [InlineData(double.NaN, 0.9, 0.999, 1e-8, "learningRate")]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, "beta1")]
    [InlineData(1e-3, 0.9, -0.1, 1e-8, "beta2")]
    [InlineData(1e-3, 0.9, 0.999, -1.0, "epsilon")]
    public void Constructor_BadSetting_NamesIt(double learningRate, double beta1, double beta2, double epsilon, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(Model().parameters(), learningRate, beta1, beta2, epsilon));

        Assert.Equal(name, error.ParamName);
    }

    private static Sequential Model()
    {
        var model = Sequential(("fc1", Linear(4, 3)), ("fc2", Linear(3, 1)));
        WeightInit.ResetParameters(model, new RandomSource(11));
        return model;
    }

    private static torch.Tensor Loss(Sequential model, int step)
    {
        var values = new float[8 * 4];
        new RandomSource(step).FillUniform(values, -1, 1);
        return model.forward(TensorData.FromArray(values, 8, 4)).Minus(0.5).Squared().mean();
    }
}
