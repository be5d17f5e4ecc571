using AnomalyDetection.Engine;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Engine;

public class ExponentialWeightAverageTests
{
    [Fact]
    public void Update_BlendsWithTheWarmUpDecayFirst_ThenTheConfiguredOne()
    {
        var module = Sequential(("linear", Linear(1, 1, hasBias: false)));
        SetWeight(module, 1f);
        using var average = new ExponentialWeightAverage(module, decay: 0.5);

        SetWeight(module, 3f);
        average.Update(); // decay min(0.5, 2/11): 2/11·1 + 9/11·3 = 29/11
        SetWeight(module, 0f);
        average.Update(); // decay min(0.5, 3/12) = 0.25: 0.25·29/11 = 29/44
        SetWeight(module, 4f);
        for (var i = 0; i < 6; i++)
        {
            average.Update(); // from update 8 on, (1 + n)/(10 + n) ≥ 0.5: the configured decay
        }

        var expected = 29.0 / 44;
        for (var n = 3; n <= 8; n++)
        {
            var decay = Math.Min(0.5, (1.0 + n) / (10.0 + n));
            expected = (decay * expected) + ((1 - decay) * 4);
        }

        Assert.Equal(8, average.Updates);
        Assert.Equal(expected, TensorData.ToArray(average.Export()["linear.weight"])[0], 5);
        Assert.Equal(4f, Weight(module));
    }

    [Fact]
    public void SwapIntoModule_ShowsTheAverageUntilDisposed()
    {
        var module = Sequential(("linear", Linear(1, 1, hasBias: false)));
        SetWeight(module, 2f);
        using var average = new ExponentialWeightAverage(module, decay: 0.9);
        SetWeight(module, 7f);

        using (average.SwapIntoModule())
        {
            Assert.Equal(2f, Weight(module));
        }

        Assert.Equal(7f, Weight(module));
        average.CopyToModule();
        Assert.Equal(2f, Weight(module));
    }

    [Fact]
    public void Restore_TakesACheckpointsAverageAndCount_AndRefusesOtherShapes()
    {
        var module = Sequential(("linear", Linear(2, 1, hasBias: false)));
        using var average = new ExponentialWeightAverage(module, decay: 0.9);

        average.Restore(new Dictionary<string, torch.Tensor> { ["linear.weight"] = torch.tensor(new[] { 5f, 6f }).reshape(1, 2) }, updates: 12);

        Assert.Equal(12, average.Updates);
        Assert.Equal([5f, 6f], TensorData.ToArray(average.Export()["linear.weight"]));
        var error = Assert.Throws<StateDictMismatchException>(() =>
            average.Restore(new Dictionary<string, torch.Tensor> { ["linear.weight"] = torch.zeros(1, 3) }, updates: 1));
        Assert.Contains("linear.weight: expected [1, 2], got [1, 3]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_DecayOutsideTheOpenUnitInterval_Throws(double decay)
    {
        var module = Sequential(("linear", Linear(1, 1)));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialWeightAverage(module, decay));

        Assert.Equal("decay", error.ParamName);
    }

    private static void SetWeight(torch.nn.Module module, float value)
    {
        using var noGrad = torch.no_grad();
        module.parameters().First().fill_(value);
    }

    private static float Weight(torch.nn.Module module) => TensorData.ToArray(module.parameters().First())[0];
}
