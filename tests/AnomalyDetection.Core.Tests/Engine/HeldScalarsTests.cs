using AnomalyDetection.Engine;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Engine;

public class HeldScalarsTests
{
    [Fact]
    public void EachMethod_ComputesWhatTheOperatorItReplacesComputes()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { -1.5f, 0f, 0.25f, 3f });
        var y = torch.tensor(new[] { 2f, -4f, 0.5f, 1f });

        TensorAssert.BitEqual(x + y, x.Plus(y));
        TensorAssert.BitEqual(x + 0.5f, x.Plus(0.5));
        TensorAssert.BitEqual(x - 0.5f, x.Minus(0.5));
        TensorAssert.BitEqual(1f - x, x.SubtractedFrom(1));
        TensorAssert.BitEqual(x * 0.2f, x.Times(0.2f));
        TensorAssert.BitEqual(x / 3, x.DividedBy(3));
        TensorAssert.BitEqual(x.square(), x.Squared());
        TensorAssert.BitEqual(torch.nn.functional.leaky_relu(x, 0.2), new LeakyRelu(0.2).forward(x));
        Assert.Equal([7f, 7f], HeldScalars.With(7, value => torch.full(2, value)).data<float>().ToArray());
    }
}
