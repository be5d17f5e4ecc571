using AnomalyDetection.Engine;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Engine;

public class StateDictsTests
{
    [Fact]
    public void ExportThenLoadStrict_CopiesEveryTensorIntoAnotherModule()
    {
        var source = Sequential(("conv", Conv2d(1, 2, 3)), ("norm", BatchNorm2d(2)));
        var target = Sequential(("conv", Conv2d(1, 2, 3)), ("norm", BatchNorm2d(2)));
        using (torch.no_grad())
        {
            source.named_buffers().First(b => b.name == "norm.running_mean").buffer.fill_(0.25f);
        }

        var exported = StateDicts.Export(source);
        StateDicts.LoadStrict(target, exported, "the target");

        Assert.Equal(source.state_dict().Keys, exported.Keys);
        Assert.All(exported, p => Assert.Equal(TensorData.ToArray(p.Value), TensorData.ToArray(target.state_dict()[p.Key])));
        Assert.Equal([0.25f, 0.25f], TensorData.ToArray(target.state_dict()["norm.running_mean"]));
    }

    [Fact]
    public void Export_IsACopy_NotAView()
    {
        var module = Sequential(("conv", Conv2d(1, 1, 1)));
        var exported = StateDicts.Export(module);

        using (torch.no_grad())
        {
            module.parameters().First().fill_(3f);
        }

        Assert.NotEqual(3f, TensorData.ToArray(exported["conv.weight"])[0]);
    }

    [Fact]
    public void LoadStrict_MissingUnexpectedAndMisshaped_ListsEachAndCopiesNothing()
    {
        var module = Sequential(("conv", Conv2d(1, 2, 3)));
        var before = TensorData.ToArray(module.state_dict()["conv.weight"]);
        var weights = new Dictionary<string, torch.Tensor>
        {
            ["conv.weight"] = torch.zeros(2, 1, 5, 5),
            ["extra"] = torch.zeros(1),
        };

        var error = Assert.Throws<StateDictMismatchException>(() => StateDicts.LoadStrict(module, weights, "the network"));

        Assert.Equal(["conv.bias"], error.MissingKeys);
        Assert.Equal(["extra"], error.UnexpectedKeys);
        Assert.Equal(["conv.weight: expected [2, 1, 3, 3], got [2, 1, 5, 5]"], error.ShapeMismatches);
        Assert.StartsWith("The state dictionary does not fit the network:", error.Message);
        Assert.Equal(before, TensorData.ToArray(module.state_dict()["conv.weight"]));
    }

    [Fact]
    public void ElementCount_SumsParametersAndBuffers()
    {
        // Conv 2·1·3·3 + 2 bias; batch norm weight, bias, running mean, running variance (2 each) and the step count.
        var module = Sequential(("conv", Conv2d(1, 2, 3)), ("norm", BatchNorm2d(2)));

        Assert.Equal(18 + 2 + 8 + 1, StateDicts.ElementCount(module));
    }
}
