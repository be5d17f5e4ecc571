using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Engine;

public class WeightInitTests
{
    [Fact]
    public void ResetParameters_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        var a = Network(5);
        var b = Network(5);
        var c = Network(6);

        Assert.All(StateDicts.Export(a), p => Assert.Equal(TensorData.ToArray(p.Value), TensorData.ToArray(b.state_dict()[p.Key])));
        Assert.NotEqual(TensorData.ToArray(a.state_dict()["conv.weight"]), TensorData.ToArray(c.state_dict()["conv.weight"]));
    }

    [Fact]
    public void ResetParameters_ConvolutionsAndLinear_DrawWithinOneOverRootFanIn()
    {
        var network = Network(1);
        var bounds = new Dictionary<string, double>
        {
            // PyTorch's default: kaiming_uniform(a = √5) gives ±1/√fan_in, as does the bias.
            ["conv.weight"] = 1 / Math.Sqrt(3 * 3 * 3), ["conv.bias"] = 1 / Math.Sqrt(3 * 3 * 3),
            // A transposed convolution's weight is (in, out, k, k): PyTorch takes the fan-in from dimension 1, out · k².
            ["deconv.weight"] = 1 / Math.Sqrt(4 * 4 * 4),
            ["linear.weight"] = 1 / Math.Sqrt(10), ["linear.bias"] = 1 / Math.Sqrt(10),
        };

        foreach (var (name, bound) in bounds)
        {
            var values = TensorData.ToArray(network.state_dict()[name]);
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            // Spread over the range, not a constant or a narrower draw.
            Assert.True(values.Max() - values.Min() > bound, $"{name}: {values.Min()} … {values.Max()} within ±{bound}");
        }
    }

    [Fact]
    public void ResetParameters_AffineNorms_StartAtOneAndZero()
    {
        var network = Network(1);

        Assert.All(TensorData.ToArray(network.state_dict()["norm.weight"]), v => Assert.Equal(1f, v));
        Assert.All(TensorData.ToArray(network.state_dict()["norm.bias"]), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ResetParameters_ALoneLayer_InitialisesThatLayer()
    {
        var first = Conv2d(2, 3, 3);
        var second = Conv2d(2, 3, 3);

        WeightInit.ResetParameters(first, new RandomSource(9));
        WeightInit.ResetParameters(second, new RandomSource(9));

        Assert.Equal(TensorData.ToArray(first.weight!), TensorData.ToArray(second.weight!));
        Assert.Equal(TensorData.ToArray(first.bias!), TensorData.ToArray(second.bias!));
    }

    private static TorchSharp.Modules.Sequential Network(int seed)
    {
        var network = Sequential(
            ("conv", Conv2d(3, 2, 3)),
            ("norm", InstanceNorm2d(2, affine: true)),
            ("deconv", ConvTranspose2d(2, 4, 4, bias: false)),
            ("linear", Linear(10, 200)));
        WeightInit.ResetParameters(network, new RandomSource(seed));
        return network;
    }
}
