using AnomalyDetection.Evaluation;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Evaluation.Tests;

public class PreprocessingChoiceTests
{
    [Theory]
    [InlineData(64, 2)]
    [InlineData(128, 4)]
    [InlineData(32, 1)]
    [InlineData(16, 1)]
    public void Configure_BrainZScore_MasksTheBrainAfterTheResizeWithARadiusThatScalesWithSize(int size, int radius)
    {
        var options = new SaganOptions { ImageSize = size, Channels = 3 };

        PreprocessingChoice.Configure("brain-zscore", options, colorData: true);

        Assert.Equal(1, options.Channels);
        var steps = options.Preprocessing!.Steps;
        Assert.Equal(
            [typeof(ConvertChannelsStep), typeof(ResizeStep), typeof(BrainMaskStep), typeof(ForegroundZScoreStep), typeof(RandomFlipStep)],
            steps.Select(s => s.GetType()));
        Assert.Equal(new BrainMaskStep(0.1f, radius, 0f), steps[2]);
        Assert.Equal(new ResizeStep(size, size), steps[1]);
    }

    [Fact]
    public void Require_UnknownName_ListsTheChoices()
    {
        var error = Assert.Throws<HarnessException>(() => PreprocessingChoice.Require("brain"));

        Assert.Contains("'brain'", error.Message, StringComparison.Ordinal);
        Assert.Contains("brain-zscore", error.Message, StringComparison.Ordinal);
    }
}
