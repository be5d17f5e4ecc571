using System.Text.Json;
using AnomalyDetection.Components;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Autoencoder.Tests;

public class AutoencoderOptionsTests
{
    public static TheoryData<string, Action<AutoencoderOptions>, string> BadSettings => new()
    {
        { "zero base width", o => o.BaseWidth = 0, "BaseWidth must be in [1, 1024] (was 0)" },
        { "zero depth", o => o.Depth = 0, "Depth must be in [1, 8] (was 0)" },
        { "depth leaving a 1-pixel bottleneck", o => o.Depth = 6, "Depth must be such that ImageSize (64) is larger than 2^depth, leaving at least 2 × 2 pixels at the bottleneck (was 6)" },
        { "no latent channels", o => o.LatentChannels = 0, "LatentChannels must be in [1, 4096] (was 0)" },
        { "unknown loss", o => o.Loss = (ReconstructionLoss)5, "Loss must be L2 or L1 (was 5)" },
        { "unknown residual polarity", o => o.ResidualPolarity = (ResidualPolarity)4, "ResidualPolarity must be Absolute, Brighter or Darker (was 4)" },
        { "zero learning rate", o => o.LearningRate = 0, "LearningRate must be in (0, 1] (was 0)" },
        { "beta1 of 1", o => o.Beta1 = 1, "Beta1 must be in [0, 1) (was 1)" },
        { "negative beta2", o => o.Beta2 = -0.5, "Beta2 must be in [0, 1) (was -0.5)" },
        { "no epochs", o => o.Epochs = 0, "Epochs must be in [1, 100000] (was 0)" },
        { "zero steps", o => o.MaxSteps = 0, "MaxSteps must be null or at least 1 (was 0)" },
        { "zero top fraction", o => o.ScoreTopFraction = 0, "ScoreTopFraction must be in (0, 1] (was 0)" },
        { "NaN top fraction", o => o.ScoreTopFraction = double.NaN, "ScoreTopFraction must be in (0, 1] (was NaN)" },
        { "negative smoothing", o => o.MapSmoothingSigma = -1, "MapSmoothingSigma must be in [0, 64] (was -1)" },
        { "base option", o => o.Channels = 2, "Channels must be 1 (gray) or 3 (RGB) (was 2)" },
    };

    [Fact]
    public void Defaults_AreTheDocumentedBaselineAndValid()
    {
        var options = new AutoencoderOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((64, 32, 1), (options.ImageSize, options.BatchSize, options.Channels));
        Assert.Equal((32, 4, 16), (options.BaseWidth, options.Depth, options.LatentChannels));
        Assert.Equal([32, 64, 128, 256], options.Widths);
        Assert.Equal(ReconstructionLoss.L2, options.Loss);
        Assert.Equal((1e-3, 0.9, 0.999), (options.LearningRate, options.Beta1, options.Beta2));
        Assert.Equal(200, options.Epochs);
        Assert.Null(options.MaxSteps);
        Assert.Equal((0.1, 2.0), (options.ScoreTopFraction, options.MapSmoothingSigma));
    }

    [Fact]
    public void Widths_DoubleUpToEightTimesTheBase()
    {
        var options = new AutoencoderOptions { BaseWidth = 4, Depth = 6, ImageSize = 128 };

        Assert.Equal([4, 8, 16, 32, 32, 32], options.Widths);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_BadSetting_ReportsItQuotingTheValue(string setting, Action<AutoencoderOptions> spoil, string expected)
    {
        var options = new AutoencoderOptions();
        spoil(options);

        var problems = options.Validate().ToList();

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"{setting}: {string.Join(" | ", problems)}");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new AutoencoderOptions { LatentChannels = -3, ScoreTopFraction = 1.5 };

        var error = Assert.Throws<ArgumentException>(() => new AutoencoderDetector(options));

        Assert.Contains("LatentChannels must be in [1, 4096] (was -3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScoreTopFraction must be in (0, 1] (was 1.5)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(28, 4)]
    [InlineData(28, 2)]
    [InlineData(32, 4)]
    [InlineData(64, 5)]
    [InlineData(128, 6)]
    [InlineData(8, 2)]
    public void Validate_SupportedSizes_AreValid(int imageSize, int depth)
    {
        Assert.Empty(new AutoencoderOptions { ImageSize = imageSize, Depth = depth }.Validate());
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(28, 5)]
    public void Validate_DepthLeavingOnePixel_IsRejected(int imageSize, int depth)
    {
        var problems = new AutoencoderOptions { ImageSize = imageSize, Depth = depth }.Validate().ToList();

        Assert.Contains(problems, p => p.StartsWith($"Depth must be such that ImageSize ({imageSize})", StringComparison.Ordinal));
    }

    [Fact]
    public void Serialize_ModelFileJson_WritesTheLossByNameAndRoundTrips()
    {
        var options = new AutoencoderOptions { Loss = ReconstructionLoss.L1, LatentChannels = 7, MaxSteps = 12 };

        var json = JsonSerializer.Serialize(options, ModelFile.JsonOptions);
        var back = JsonSerializer.Deserialize<AutoencoderOptions>(json, ModelFile.JsonOptions)!;

        Assert.Contains("\"loss\": \"L1\"", json, StringComparison.Ordinal);
        Assert.Equal((ReconstructionLoss.L1, 7, 12L), (back.Loss, back.LatentChannels, back.MaxSteps));
    }
}
