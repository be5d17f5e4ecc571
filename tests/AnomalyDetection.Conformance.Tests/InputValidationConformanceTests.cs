using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>What every detector does with bad or unusual input: a clear error naming the problem, or the documented
/// behaviour (images of another size or channel count are resized and converted by the default preprocessing).</summary>
public class InputValidationConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void PredictBatch_NaNOrInfinitePixels_ThrowsNamingTheImageAndCount(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var good = Constant(c.ImageSize, c.Channels, 0.5f);
        var pixels = good.ToPlanarArray();
        (pixels[0], pixels[5], pixels[9]) = (float.NaN, float.PositiveInfinity, float.NegativeInfinity);
        var bad = ImageData.FromPlanar(c.ImageSize, c.ImageSize, c.Channels, pixels);

        var error = Assert.Throws<ArgumentException>(() => detector.PredictBatch([good, bad]));

        Assert.Contains("Image 1", error.Message);
        Assert.Contains("3 NaN or infinite sample(s)", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_FiniteIntensitiesThatOverflowInPreprocessing_ThrowsNamingThePreprocessing(string name)
    {
        var c = ConformanceCases.Get(name);
        var huge = Constant(c.ImageSize, c.Channels, float.MaxValue);

        var error = Assert.Throws<ArgumentException>(() => ConformanceCases.FittedDetector(name).Predict(huge));

        Assert.Contains("after preprocessing", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_OtherSizeAndChannelCount_IsResizedAndConverted(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var random = new RandomSource(4);
        var pixels = new float[(5 - c.Channels) * 20 * 27];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle();
        }

        var prediction = detector.Predict(ImageData.FromPlanar(27, 20, 5 - c.Channels, pixels));

        Assert.True(float.IsFinite(prediction.Score));
        if (prediction.Map is { } map)
        {
            Assert.Equal((c.ImageSize, c.ImageSize), (map.Width, map.Height));
        }
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_ConstantImages_GiveFiniteScores(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);

        var predictions = detector.PredictBatch([Constant(c.ImageSize, c.Channels, 0), Constant(c.ImageSize, c.Channels, 1)]);

        Assert.All(predictions, p => Assert.True(float.IsFinite(p.Score) && float.IsFinite(p.NormalizedScore)));
        Assert.All(predictions, p => Assert.All(p.Map?.ToArray() ?? [], v => Assert.True(float.IsFinite(v))));
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_BeforeFit_ThrowsNotFitted(string name)
    {
        var c = ConformanceCases.Get(name);
        var error = Assert.Throws<InvalidOperationException>(() => c.Create(1).Predict(Constant(c.ImageSize, c.Channels, 0.5f)));
        Assert.Contains("not fitted", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_EmptyDataset_ThrowsNamingTheDataset(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.Create(2);

        var error = Assert.Throws<InvalidDatasetException>(() => detector.Fit(ConformanceCases.Data(c) with { Normal = new ImageDataset("empty", []) }));

        Assert.Contains("'empty'", error.Message);
        Assert.Contains("holds no images", error.Message);
        Assert.False(detector.IsFitted);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_OneTrainingImageWithAValidationSet_TrainsAndPredictsFinitely(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = c.Create(3);
        var one = SyntheticImages.Dataset("one", 1, c.ImageSize, c.Channels, 8, anomalous: false);
        var validation = SyntheticImages.Dataset("validation", 4, c.ImageSize, c.Channels, 9, anomalous: false);

        detector.Fit(ConformanceCases.Data(c) with { Normal = one, Validation = validation });

        Assert.True(float.IsFinite(detector.Predict(Constant(c.ImageSize, c.Channels, 0.4f)).Score));
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_TrainingImageWithNaN_ThrowsNamingTheImage(string name)
    {
        var c = ConformanceCases.Get(name);
        var pixels = Constant(c.ImageSize, c.Channels, 0.5f).ToPlanarArray();
        pixels[3] = float.NaN;
        var normal = new ImageDataset("normal", SyntheticImages.Dataset("normal", 23, c.ImageSize, c.Channels, 11, anomalous: false)
            .Append(new LabeledImage("broken_scan", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(c.ImageSize, c.ImageSize, c.Channels, pixels)))));

        var error = Assert.Throws<InvalidDatasetException>(() => c.Create(4).Fit(ConformanceCases.Data(c) with { Normal = normal }));

        Assert.Contains("broken_scan", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Fit_IntensitiesThatOverflowTheNetwork_StopsWithTrainingDivergedAndNoModel(string name)
    {
        // Finite after preprocessing (so the dataset checks pass), but far beyond what a network's activations hold.
        var c = ConformanceCases.Get(name);
        var hot = new ImageDataset("hot", Enumerable.Range(0, 24).Select(i => new LabeledImage($"hot_{i}", AnomalyLabel.Normal,
            ImageSource.FromImage(Constant(c.ImageSize, c.Channels, 1e38f - (i * 1e36f))))));
        var detector = c.Create(5);

        var error = Assert.Throws<AnomalyDetection.Detection.TrainingDivergedException>(() => detector.Fit(ConformanceCases.Data(c) with { Normal = hot }));

        // Detectors with a training loss stop at the step it overflowed; others when calibration meets the scores.
        Assert.True(error.Step >= 1 || error.Message.Contains("validation image 'hot_", StringComparison.Ordinal), error.Message);
        Assert.False(detector.IsFitted);
    }

    private static ImageData Constant(int size, int channels, float value)
    {
        var pixels = new float[channels * size * size];
        Array.Fill(pixels, value);
        return ImageData.FromPlanar(size, size, channels, pixels);
    }
}
