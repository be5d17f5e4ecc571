using AnomalyDetection.Components;
namespace AnomalyDetection.Sagan.Tests;

public class SaganOptionsTests
{
    [Fact]
    public void Defaults_AreThePapersSettings()
    {
        var o = new SaganOptions();

        Assert.Equal((64, 1, 64, 6, 6, 32), (o.ImageSize, o.Channels, o.ConvDim, o.RepeatNum, o.CriticRepeatNum, o.BatchSize));
        Assert.Equal((100_000L, 2), (o.MaxSteps, o.CriticSteps));
        Assert.Equal((10.0, 1.0, 1.0), (o.GradientPenaltyWeight, o.IdentityWeight, o.RestorationWeight));
        Assert.Equal((5e-5, 0.5, 0.999), (o.LearningRate, o.Beta1, o.Beta2));
        Assert.Equal(0.05, o.TrainingMixProbability);
        Assert.Equal(0.0, o.GeneratorAverageDecay);
        Assert.Equal((0.0, 1.0), (o.MapSmoothingSigma, o.ScoreTopFraction));
        Assert.False(o.TestStochasticMask);
        Assert.Equal(ResidualPolarity.Absolute, o.ResidualPolarity);
        Assert.Empty(o.Validate());
    }

    [Theory]
    [InlineData(nameof(SaganOptions.ImageSize), 40, "ImageSize must be a multiple of 16 and at least 32")]
    [InlineData(nameof(SaganOptions.ConvDim), 0, "ConvDim must be in [1, 1024] (was 0)")]
    [InlineData(nameof(SaganOptions.RepeatNum), -1, "RepeatNum must be in [0, 64] (was -1)")]
    [InlineData(nameof(SaganOptions.MaxSteps), 0, "MaxSteps must be at least 1 (was 0)")]
    [InlineData(nameof(SaganOptions.CriticSteps), 0, "CriticSteps must be at least 1 (was 0)")]
    [InlineData(nameof(SaganOptions.ValidationInterval), 0, "ValidationInterval must be at least 1 (was 0)")]
    [InlineData(nameof(SaganOptions.EarlyStoppingPatience), -2, "EarlyStoppingPatience must be at least 0 (0 turns early stopping off) (was -2)")]
    [InlineData(nameof(SaganOptions.CheckpointInterval), 0, "CheckpointInterval must be at least 1 (was 0)")]
    public void Validate_BadInteger_QuotesTheValue(string property, int value, string message)
    {
        var options = new SaganOptions();
        var setting = typeof(SaganOptions).GetProperty(property)!;
        setting.SetValue(options, Convert.ChangeType(value, setting.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(options.Validate(), p => p.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(SaganOptions.LearningRate), 0.0, "LearningRate must be in (0, 1] (was 0)")]
    [InlineData(nameof(SaganOptions.Beta1), 1.0, "Beta1 must be in [0, 1) (was 1)")]
    [InlineData(nameof(SaganOptions.Beta2), -0.5, "Beta2 must be in [0, 1) (was -0.5)")]
    [InlineData(nameof(SaganOptions.TrainingMixProbability), 1.0, "TrainingMixProbability must be in [0, 1) (was 1)")]
    [InlineData(nameof(SaganOptions.GeneratorAverageDecay), 1.0, "GeneratorAverageDecay must be in [0, 1) (0 keeps the last weights) (was 1)")]
    [InlineData(nameof(SaganOptions.MapSmoothingSigma), -1.0, "MapSmoothingSigma must be in [0, 64] (was -1)")]
    [InlineData(nameof(SaganOptions.ScoreTopFraction), 0.0, "ScoreTopFraction must be in (0, 1] (was 0)")]
    [InlineData(nameof(SaganOptions.PoolValidationFraction), 0.6, "PoolValidationFraction must be in [0, 0.5] (0 validates on the normal images' error) (was 0.6)")]
    [InlineData(nameof(SaganOptions.GradientPenaltyWeight), -1.0, "GradientPenaltyWeight must be finite and not negative (was -1)")]
    [InlineData(nameof(SaganOptions.IdentityWeight), double.NaN, "IdentityWeight must be finite and not negative (was NaN)")]
    [InlineData(nameof(SaganOptions.RestorationWeight), double.PositiveInfinity, "RestorationWeight must be finite and not negative (was Infinity)")]
    public void Validate_BadNumber_QuotesTheValue(string property, double value, string message)
    {
        var options = new SaganOptions();
        var setting = typeof(SaganOptions).GetProperty(property)!;
        setting.SetValue(options, Convert.ChangeType(value, setting.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(message, options.Validate());
    }

    [Fact]
    public void Validate_UndefinedResidualPolarity_NamesTheChoices()
    {
        var problem = Assert.Single(new SaganOptions { ResidualPolarity = (ResidualPolarity)9 }.Validate());

        Assert.Equal("ResidualPolarity must be Absolute, Brighter or Darker (was 9)", problem);
    }

    [Theory]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1.0, "1")]
    [InlineData(double.NaN, "NaN")]
    public void Validate_CriticSlopeOutsideZeroToOne_IsRefusedQuotingTheValue(double slope, string quoted)
    {
        var problem = Assert.Single(new SaganOptions { CriticNegativeSlope = slope }.Validate());

        Assert.Equal($"CriticNegativeSlope must be in [0, 1) (was {quoted})", problem);
    }

    [Fact]
    public void Validate_CriticTooDeepForTheImage_SaysWhichSizesFit()
    {
        var options = new SaganOptions { ImageSize = 32 };

        var problem = Assert.Single(options.Validate());

        Assert.Equal("CriticRepeatNum must be such that ImageSize (32) is divisible by 2^CriticRepeatNum (was 6)", problem);
    }

    [Fact]
    public void Constructor_SeveralBadSettings_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new SaganDetector(new SaganOptions { ConvDim = 0, Beta1 = 2, CheckpointDirectory = " " }));

        Assert.Contains("ConvDim must be in [1, 1024] (was 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Beta1 must be in [0, 1) (was 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("CheckpointDirectory must be null or a folder path (was ' ')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e30, "1E+30")]
    [InlineData(double.NaN, "NaN")]
    public void Validate_LearningRateOutsideZeroToOne_IsRefusedQuotingTheValue(double learningRate, string quoted)
    {
        var options = new SaganOptions { LearningRate = learningRate };

        var problem = Assert.Single(options.Validate());

        Assert.Equal($"LearningRate must be in (0, 1] (was {quoted})", problem);
    }

    [Fact]
    public void Validate_LearningRateOne_IsAccepted() => Assert.Empty(new SaganOptions { LearningRate = 1 }.Validate());
}
