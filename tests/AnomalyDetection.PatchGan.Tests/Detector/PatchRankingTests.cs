using AnomalyDetection.PatchGan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.PatchGan.Tests.Detector;

public class PatchRankingTests
{
    [Fact]
    public void TopK_HalfOfFourPatches_WeightsTheTwoHighest()
    {
        var values = Tensor.FromArray([0.1f, 0.9f, 0.5f, 0.7f], 1, 1, 2, 2);

        var weights = PatchRankingWeights.TopK(values, 0.5, 2);

        Assert.Equal([1f, 2f, 1f, 2f], weights.Span.ToArray());
        Assert.Equal([1, 1, 2, 2], weights.ShapeArray());
    }

    [Fact]
    public void TopK_Batch_RanksEachImageOnItsOwn()
    {
        var values = Tensor.FromArray([0.1f, 0.9f, 0.5f, 0.7f, 9f, 8f, 7f, 6f], 2, 1, 2, 2);

        var weights = PatchRankingWeights.TopK(values, 0.25, 3);

        Assert.Equal([1f, 3f, 1f, 1f, 3f, 1f, 1f, 1f], weights.Span.ToArray());
    }

    [Fact]
    public void TopK_Ties_GoToTheLowerPatchIndex()
    {
        var weights = PatchRankingWeights.TopK(Tensor.Full(0.5f, 1, 1, 2, 2), 0.5, 2);

        Assert.Equal([2f, 2f, 1f, 1f], weights.Span.ToArray());
    }

    [Fact]
    public void LearnedHead_Weights_AverageOneAndStayWithinTheTemperatureBound()
    {
        var head = new PatchRankingHead(8, 0.5, new RandomSource(1));
        var evidence = TensorAssert.Random(2, 3, 2, 4, 4) * 5f;

        var weights = head.Forward(evidence);

        Assert.Equal([3, 1, 4, 4], weights.ShapeArray());
        for (var i = 0; i < 3; i++)
        {
            var image = weights.Slice(0, i, 1).Span.ToArray();
            Assert.Equal(1.0, image.Average(), 5);
            Assert.True(image.Max() / image.Min() <= Math.Exp(2 / 0.5) * 1.0001, $"image {i}: ratio {image.Max() / image.Min()}");
        }
    }

    [Fact]
    public void LearnedHead_ParameterGradients_MatchFiniteDifferences()
    {
        var head = new PatchRankingHead(4, 1, new RandomSource(2));
        var evidence = TensorAssert.Random(3, 2, 2, 2, 3);

        ParameterGradCheck.Check(head, () => head.Forward(evidence), epsilon: 1e-3);
    }

    [Fact]
    public void LearnedHead_Evidence_ReceivesNoGradient()
    {
        var head = new PatchRankingHead(4, 1, new RandomSource(2));
        var evidence = TensorAssert.Random(4, 1, 2, 2, 2).WithRequiresGrad();

        (head.Forward(evidence) * TensorAssert.Random(5, 1, 1, 2, 2)).Sum().Backward();

        Assert.Null(evidence.Grad);
    }

    [Fact]
    public void Statistics_Fit_GivesPopulationMeanAndDeviationWithAFloor()
    {
        var statistics = new PatchScoreStatistics();

        statistics.Fit([1f, 2f, 3f, 4f], [0.5f, 0.5f, 0.5f, 0.5f]);

        Assert.Equal(2.5f, statistics.ErrorMean.Span[0]);
        Assert.Equal(MathF.Sqrt(1.25f), statistics.ErrorStd.Span[0], 6);
        Assert.Equal(0.5f, statistics.FakeMean.Span[0]);
        Assert.Equal(1e-6f, statistics.FakeStd.Span[0]);
    }

    [Fact]
    public void Statistics_Fuse_WeighsTheZScoresByAlpha()
    {
        var statistics = new PatchScoreStatistics();
        statistics.Fit([0f, 2f], [0.2f, 0.6f]); // error: mean 1, std 1; fake: mean 0.4, std 0.2

        var fused = statistics.Fuse(Tensor.FromArray([3f], 1), Tensor.FromArray([0.1f], 1), alpha: 0.25);

        // 0.25·(3 − 1)/1 + 0.75·(0.1 − 0.4)/0.2 = 0.5 − 1.125
        Assert.Equal(-0.625f, fused.Span[0], 5);
    }
}
