using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace AnomalyDetection.Core.Tests.Engine;

public class HeldBatchNorm2dTests
{
    [Fact]
    public void Forward_TrainingThenEvaluation_MatchesTorchSharpsBatchNorm2dBitForBit()
    {
        var ours = new HeldBatchNorm2d(3);
        var theirs = BatchNorm2d(3);
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in ours.named_parameters())
            {
                var values = new float[3];
                new RandomSource(name.Length).FillUniform(values, 0.5f, 1.5f);
                parameter.copy_(TensorData.FromArray(values, 3));
                theirs.get_parameter(name)!.copy_(parameter);
            }
        }

        for (var batch = 0; batch < 3; batch++)
        {
            TensorAssert.BitEqual(theirs.forward(Batch(batch)), ours.forward(Batch(batch)));
        }

        ours.eval();
        theirs.eval();
        TensorAssert.BitEqual(theirs.forward(Batch(9)), ours.forward(Batch(9)));
        Assert.Equal(theirs.state_dict().Keys, ours.state_dict().Keys);
        Assert.All(theirs.state_dict(), p => Assert.Equal(Exact(p.Value), Exact(ours.state_dict()[p.Key])));
        Assert.Equal(3L, ours.state_dict()["num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Forward_WrongChannelCount_SaysWhatShapeItNeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => new HeldBatchNorm2d(3).forward(torch.zeros(2, 4, 5, 5)));

        Assert.StartsWith("Batch normalisation over 3 channels needs an input of shape (N, 3, H, W), got [2, 4, 5, 5].", error.Message);
    }

    private static torch.Tensor Batch(int seed)
    {
        var values = new float[4 * 3 * 5 * 5];
        new RandomSource(seed).FillUniform(values, -2, 3);
        return TensorData.FromArray(values, 4, 3, 5, 5);
    }

    // Float32 and Int64 values of this size are exact in Float64.
    private static double[] Exact(torch.Tensor tensor) => tensor.to_type(torch.ScalarType.Float64).data<double>().ToArray();
}
