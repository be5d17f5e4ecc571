using AnomalyDetection.Engine;
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

        Assert.Equal((x + y).data<float>().ToArray(), x.Plus(y).data<float>().ToArray());
        Assert.Equal((x + 0.5f).data<float>().ToArray(), x.Plus(0.5).data<float>().ToArray());
        Assert.Equal((x - 0.5f).data<float>().ToArray(), x.Minus(0.5).data<float>().ToArray());
        Assert.Equal((1f - x).data<float>().ToArray(), x.SubtractedFrom(1).data<float>().ToArray());
        Assert.Equal((x * 0.2f).data<float>().ToArray(), x.Times(0.2f).data<float>().ToArray());
        Assert.Equal((x / 3).data<float>().ToArray(), x.DividedBy(3).data<float>().ToArray());
        Assert.Equal(x.square().data<float>().ToArray(), x.Squared().data<float>().ToArray());
        Assert.Equal(torch.nn.functional.leaky_relu(x, 0.2).data<float>().ToArray(), new LeakyRelu(0.2).forward(x).data<float>().ToArray());
        Assert.Equal([7f, 7f], HeldScalars.With(7, value => torch.full(2, value)).data<float>().ToArray());
    }
}
