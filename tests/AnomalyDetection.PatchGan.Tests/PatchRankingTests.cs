using AnomalyDetection.Engine;
using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Randomness;
using TorchSharp;

namespace AnomalyDetection.PatchGan.Tests;

public class PatchRankingTests
{
    [Fact]
    public void TopK_HalfOfFourPatches_WeightsTheTwoHighest()
    {
        var values = TensorData.FromArray([0.1f, 0.9f, 0.5f, 0.7f], 1, 1, 2, 2);

        var weights = PatchRankingWeights.TopK(values, 0.5, 2);

        Assert.Equal([1f, 2f, 1f, 2f], TestTensors.Values(weights));
        Assert.Equal([1L, 1, 2, 2], weights.shape);
    }

    [Fact]
    public void TopK_Batch_RanksEachImageOnItsOwn()
    {
        var values = TensorData.FromArray([0.1f, 0.9f, 0.5f, 0.7f, 9f, 8f, 7f, 6f], 2, 1, 2, 2);

        var weights = PatchRankingWeights.TopK(values, 0.25, 3);

        Assert.Equal([1f, 3f, 1f, 1f, 3f, 1f, 1f, 1f], TestTensors.Values(weights));
    }

    [Fact]
    public void TopK_Ties_GoToTheLowerPatchIndex()
    {
        var weights = PatchRankingWeights.TopK(torch.full(1, 1, 2, 2, 0.5f), 0.5, 2);

        Assert.Equal([2f, 2f, 1f, 1f], TestTensors.Values(weights));
    }

    [Fact]
    public void TopK_ManyTies_KeepPatchOrderAcrossTheWholeGrid()
    {
        // 64 patches, all tied but the last: the highest wins, then the lowest indices.
        var values = torch.zeros(1, 1, 8, 8);
        values[0, 0, 7, 7] = torch.tensor(1f);

        var weights = TestTensors.Values(PatchRankingWeights.TopK(values, 0.25, 2));

        Assert.Equal(2f, weights[63]);
        Assert.Equal(Enumerable.Range(0, 15), Enumerable.Range(0, 63).Where(i => weights[i] == 2f));
    }

    [Fact]
    public void LearnedHead_Weights_AverageOneAndStayWithinTheTemperatureBound()
    {
        var head = new PatchRankingHead(8, 0.5, new RandomSource(1));
        var evidence = TestTensors.Random(2, 3, 2, 4, 4) * 5f;

        var weights = head.forward(evidence);

        Assert.Equal([3L, 1, 4, 4], weights.shape);
        for (var i = 0; i < 3; i++)
        {
            var image = TestTensors.Values(weights[i]);
            Assert.Equal(1.0, image.Average(), 5);
            Assert.True(image.Max() / image.Min() <= Math.Exp(2 / 0.5) * 1.0001, $"image {i}: ratio {image.Max() / image.Min()}");
            Assert.True(image.Max() > image.Min() * 1.01, $"image {i}: the head should not weigh every patch alike");
        }
    }

    [Fact]
    public void LearnedHead_StateDict_IsTheMlp()
    {
        var head = new PatchRankingHead(8, 0.5, new RandomSource(1));

        Assert.Equal(["mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias"], head.state_dict().Keys);
    }

    [Fact]
    public void LearnedHead_ParameterGradients_MatchFiniteDifferences()
    {
        var head = new PatchRankingHead(4, 1, new RandomSource(2));
        head.to(torch.float64);
        var evidence = TestTensors.Random(3, 2, 2, 2, 3).to_type(torch.float64);

        GradCheck.Parameters(head, () => head.forward(evidence));
    }

    [Fact]
    public void LearnedHead_Evidence_ReceivesNoGradient()
    {
        var head = new PatchRankingHead(4, 1, new RandomSource(2));
        var evidence = TestTensors.Random(4, 1, 2, 2, 2).requires_grad_(true);

        (head.forward(evidence) * TestTensors.Random(5, 1, 1, 2, 2)).sum().backward();

        Assert.Null(evidence.grad);
        Assert.All(head.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Statistics_Fit_GivesPopulationMeanAndDeviationWithAFloor()
    {
        var statistics = new PatchScoreStatistics();

        statistics.Fit([1f, 2f, 3f, 4f], [0.5f, 0.5f, 0.5f, 0.5f]);

        Assert.Equal(2.5f, statistics.ErrorMean.item<float>());
        Assert.Equal(MathF.Sqrt(1.25f), statistics.ErrorStd.item<float>(), 6);
        Assert.Equal(0.5f, statistics.FakeMean.item<float>());
        Assert.Equal(1e-6f, statistics.FakeStd.item<float>());
        Assert.Equal(["error_mean", "error_std", "fake_mean", "fake_std"], statistics.state_dict().Keys);
    }

    [Fact]
    public void Statistics_Fuse_WeighsTheZScoresByAlpha()
    {
        var statistics = new PatchScoreStatistics();
        statistics.Fit([0f, 2f], [0.2f, 0.6f]); // error: mean 1, std 1; fake: mean 0.4, std 0.2

        var fused = statistics.Fuse(TensorData.FromArray([3f], 1), TensorData.FromArray([0.1f], 1), alpha: 0.25);

        // 0.25·(3 − 1)/1 + 0.75·(0.1 − 0.4)/0.2 = 0.5 − 1.125
        Assert.Equal(-0.625f, fused.item<float>(), 5);
    }
}
