using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.PatchGan.Tests.Helpers;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests.Components;

public class CoordinateChannelsTests
{
    [Fact]
    public void Encode_WithRadius_RunsFromMinusOneToOne()
    {
        var code = new CoordinateChannels(withRadius: true).Encode(3, 5);

        Assert.Equal([1L, 3, 3, 5], code.shape);
        var values = TestTensors.Values(code);
        float At(int c, int y, int x) => values[(c * 15) + (y * 5) + x];
        Assert.Equal([-1f, 0f, 1f], Enumerable.Range(0, 3).Select(y => At(0, y, 2)).ToArray());
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f], Enumerable.Range(0, 5).Select(x => At(1, 1, x)).ToArray());
        Assert.Equal(MathF.Sqrt(2f), At(2, 0, 0));
        Assert.Equal(0.5f, At(2, 1, 1));
        Assert.Equal(0f, At(2, 1, 2));
    }

    [Fact]
    public void Encode_SingleRow_GivesRowCoordinateZero()
    {
        var code = new CoordinateChannels().Encode(1, 2);

        Assert.Equal([0f, 0f, -1f, 1f], TestTensors.Values(code));
    }

    [Fact]
    public void Forward_Batch_AppendsTwoChannelsToEveryImage()
    {
        var input = TestTensors.Random(4, 2, 1, 2, 3);

        var output = new CoordinateChannels().forward(input);

        Assert.Equal([2L, 3, 2, 3], output.shape);
        Assert.Equal(TestTensors.Values(input[1]), TestTensors.Values(output[1, ..1]));
        Assert.Equal(TestTensors.Values(new CoordinateChannels().Encode(2, 3)), TestTensors.Values(output[1, 1..]));
        Assert.Equal(TestTensors.Values(new CoordinateChannels().Encode(2, 3)), TestTensors.Values(output[0, 1..]));
    }

    [Fact]
    public void Forward_Float64Input_KeepsItsTypeAndPassesGradientsThrough()
    {
        var output = new CoordinateChannels(withRadius: true).forward(TestTensors.Random(5, 1, 2, 3, 3).to_type(torch.float64));

        Assert.Equal(torch.float64, output.dtype);
        GradCheck.Input(x => new CoordinateChannels(true).forward(x), TestTensors.Random(5, 1, 2, 3, 3));
    }

    [Fact]
    public void StateDict_IsEmpty()
    {
        Assert.Empty(new CoordinateChannels(withRadius: true).state_dict());
    }
}
