using AnomalyDetection.Calibration;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>
/// A score the network cannot compute is never labelled normal: a model file whose weights are finite but so large
/// that every activation overflows (3·10³⁸, near float's maximum) loads, and each detector then flags its NaN or infinite
/// scores as anomalous with p-value 0 and marks non-finite map pixels. Options that cannot be used are refused up front.
/// </summary>
public class NonFiniteConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public async Task Predict_OverflowingWeights_FlagsTheNonFiniteScoreAsAnomalous(string name)
    {
        var c = ConformanceCases.Get(name);
        using var saved = new MemoryStream();
        await ConformanceCases.FittedDetector(name).SaveAsync(saved);
        saved.Position = 0;
        var (manifest, weights) = await ModelFile.ReadAsync(saved, name);
        using var forged = new MemoryStream();
        await ModelFile.WriteAsync(forged, manifest, weights.ToDictionary(p => p.Key, p => TorchSharp.torch.full_like(p.Value, 3e38f)));
        forged.Position = 0;
        var detector = await c.Load(forged);
        var image = SyntheticImages.TestSet(c.ImageSize, c.Channels, 1)[0].LoadImage();

        var prediction = detector.Predict(image);

        Assert.False(float.IsFinite(prediction.Score), $"{name}: the overflowing model scored {prediction.Score}");
        Assert.True(prediction.IsAnomalous);
        Assert.Equal(1f, prediction.NormalizedScore);
        if (prediction.PValue is { } p)
        {
            Assert.Equal(0, p);
        }

        if (prediction.Map is { } map && prediction.Mask is { } mask)
        {
            Assert.All(map.ToArray().Zip(mask), pixel => Assert.True(float.IsFinite(pixel.First) || pixel.Second));
        }
    }

    [Fact]
    public void Options_NullCalibration_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new SaganOptions { Calibration = null! }.ThrowIfInvalid());

        Assert.Contains("Calibration must be an object (leave it out for the defaults) (was null)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UndefinedPValueMethod_IsRefusedBeforeTraining()
    {
        var error = Assert.Throws<ArgumentException>(() => new SaganDetector(new SaganOptions { PValueMethod = (PValueMethod)99 }));

        Assert.Contains("PValueMethod must be one of Empirical", error.Message, StringComparison.Ordinal);
        Assert.Contains("(was 99)", error.Message, StringComparison.Ordinal);
    }
}
