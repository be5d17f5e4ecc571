using AnomalyDetection.Detection;

namespace AnomalyDetection.Core.Tests.Detection;

public class TrainingLossGlossaryTests
{
    [Theory]
    [InlineData("gradient_penalty", "gradient norm")]
    [InlineData("wasserstein_distance", "critic")]
    [InlineData("identity", "normal images")]
    public void Describe_KnownLoss_SaysWhatItMeasures(string name, string expected)
    {
        Assert.Contains(expected, TrainingLossGlossary.Describe(name));
    }

    [Fact]
    public void Describe_UnknownLoss_IsNull()
    {
        Assert.Null(TrainingLossGlossary.Describe("made_up"));
        Assert.Throws<ArgumentNullException>(() => TrainingLossGlossary.Describe(null!));
    }
}
