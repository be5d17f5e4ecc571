using System.Text.Json;
using AnomalyDetection.Components;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.PatchGan.Tests;

public class PatchGanOptionsTests
{
    public static TheoryData<string, Action<PatchGanOptions>, string> BadSettings => new()
    {
        { "patch not dividing the image", o => o.PatchSize = 24, "PatchSize must be a divisor of ImageSize (128) that leaves a grid of at least 2 × 2 patches (was 24)" },
        { "patch as large as the image", o => o.PatchSize = 128, "(was 128)" },
        { "zero mask ratio", o => o.MaskRatioMin = 0, "MaskRatioMin must be in (0, 1) (was 0)" },
        { "inverted mask ratios", o => o.MaskRatioMax = 0.1, "MaskRatioMax must be in [MaskRatioMin (0.25), 1) (was 0.1)" },
        { "one test mask", o => o.TestMaskCount = 1, "TestMaskCount must be at least 2, with a tiling block (a × b, a·b = count) that fits the 8 × 8 patch grid (was 1)" },
        { "test masks larger than the grid", o => o.TestMaskCount = 27, "fits the 8 × 8 patch grid (was 27)" },
        { "reconstructor too deep", o => o.ReconstructorDepth = 7, "ReconstructorDepth must be such that ImageSize (128) is a multiple of 2^depth and leaves at least 2 × 2 pixels at the bottleneck (was 7)" },
        { "cropped discriminator too deep", o => o.DiscriminatorLayers = 4, "DiscriminatorLayers must be such that PatchSize (16) is a multiple of 2^layers and leaves at least 2 × 2 pixels for the cropped discriminator (was 4)" },
        { "fully convolutional too deep", o => { o.Discriminator = PatchDiscriminatorKind.FullyConvolutional; o.DiscriminatorLayers = 8; }, "leaves a logit map for the fully convolutional (or global) discriminator (was 8)" },
        { "unknown ranking", o => o.Ranking = (PatchRanking)7, "Ranking must be None, TopK or Learned (was 7)" },
        { "unknown residual polarity", o => o.ResidualPolarity = (ResidualPolarity)4, "ResidualPolarity must be Absolute, Brighter or Darker (was 4)" },
        { "zero ranking fraction", o => o.RankingFraction = 0, "RankingFraction must be in (0, 1] (was 0)" },
        { "ranking weight below 1", o => o.RankingWeight = 0.5, "RankingWeight must be in [1, 1000] (was 0.5)" },
        { "zero temperature", o => o.RankingTemperature = 0, "RankingTemperature must be in [0.01, 100] (was 0)" },
        { "negative global weight", o => o.GlobalDiscriminatorWeight = -0.1, "GlobalDiscriminatorWeight must be in [0, 1000] (was -0.1)" },
        { "no loss at all", o => { o.ReconstructionWeight = 0; o.AdversarialWeight = 0; }, "must not both be 0" },
        { "zero learning rate", o => o.LearningRate = 0, "LearningRate must be in (0, 1] (was 0)" },
        { "beta1 of 1", o => o.Beta1 = 1, "Beta1 must be in [0, 1) (was 1)" },
        { "no epochs", o => o.Epochs = 0, "Epochs must be in [1, 100000] (was 0)" },
        { "zero steps", o => o.MaxSteps = 0, "MaxSteps must be null or at least 1 (was 0)" },
        { "alpha above 1", o => o.ScoreFusionAlpha = 1.5, "ScoreFusionAlpha must be in [0, 1] (was 1.5)" },
        { "unknown image score", o => o.ImageScore = (PatchGanImageScore)2, "ImageScore must be Patches or Map (was 2)" },
        { "NaN top fraction", o => o.ScoreTopFraction = double.NaN, "ScoreTopFraction must be in (0, 1] (was NaN)" },
        { "negative smoothing", o => o.MapSmoothingSigma = -1, "MapSmoothingSigma must be in [0, 64] (was -1)" },
        { "base option", o => o.Channels = 2, "Channels must be 1 (gray) or 3 (RGB) (was 2)" },
    };

    [Fact]
    public void Defaults_AreTheProposedDesignAndValid()
    {
        var options = new PatchGanOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(128, options.ImageSize);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(16, options.PatchSize);
        Assert.Equal(8, options.GridSize);
        Assert.True(options.UseMasking);
        Assert.Equal((0.25, 0.5), (options.MaskRatioMin, options.MaskRatioMax));
        Assert.Equal(4, options.TestMaskCount);
        Assert.Equal([64, 128, 256, 512], options.ReconstructorWidths);
        Assert.Equal([64, 128, 256], options.DiscriminatorWidths);
        Assert.Equal(PatchDiscriminatorKind.Cropped, options.Discriminator);
        Assert.Equal(0, options.GlobalDiscriminatorWeight);
        Assert.Equal((PatchRanking.TopK, 0.25, 2.0), (options.Ranking, options.RankingFraction, options.RankingWeight));
        Assert.Equal((10.0, 1.0, 2.0), (options.ReconstructionWeight, options.AdversarialWeight, options.MaskedPixelWeight));
        Assert.Equal((2e-4, 0.5, 0.999), (options.LearningRate, options.Beta1, options.Beta2));
        Assert.Equal(200, options.Epochs);
        Assert.Null(options.MaxSteps);
        Assert.Equal((0.5, 0.25, 2.0), (options.ScoreFusionAlpha, options.ScoreTopFraction, options.MapSmoothingSigma));
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_BadSetting_ReportsItQuotingTheValue(string setting, Action<PatchGanOptions> spoil, string expected)
    {
        var options = new PatchGanOptions();
        spoil(options);

        var problems = options.Validate().ToList();

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"{setting}: {string.Join(" | ", problems)}");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new PatchGanOptions { PatchSize = 24, ScoreFusionAlpha = -1 };

        var error = Assert.Throws<ArgumentException>(() => new PatchGanDetector(options));

        Assert.Contains("(was 24)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScoreFusionAlpha must be in [0, 1] (was -1)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, 16)]
    [InlineData(64, 8)]
    [InlineData(128, 32)]
    [InlineData(32, 8)]
    public void Validate_SupportedSizes_AreValid(int imageSize, int patchSize)
    {
        var options = new PatchGanOptions { ImageSize = imageSize, PatchSize = patchSize, DiscriminatorLayers = patchSize >= 16 ? 3 : 2 };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Serialize_ModelFileJson_WritesEnumsByName()
    {
        var options = new PatchGanOptions { Ranking = PatchRanking.Learned, Discriminator = PatchDiscriminatorKind.FullyConvolutional };

        var json = JsonSerializer.Serialize(options, ModelFile.JsonOptions);
        var back = JsonSerializer.Deserialize<PatchGanOptions>(json, ModelFile.JsonOptions)!;

        Assert.Contains("\"ranking\": \"Learned\"", json, StringComparison.Ordinal);
        Assert.Contains("\"discriminator\": \"FullyConvolutional\"", json, StringComparison.Ordinal);
        Assert.Equal(PatchRanking.Learned, back.Ranking);
        Assert.Equal(128, back.ImageSize);
    }
}
