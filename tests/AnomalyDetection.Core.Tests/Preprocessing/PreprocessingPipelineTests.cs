using System.Text.Json;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Core.Tests.Preprocessing;

public class PreprocessingPipelineTests
{
    private static readonly PreprocessingPipeline Everything = new(
    [
        new ConvertChannelsStep(1),
        new ResizeStep(6, 4, ResizeMethod.Area),
        new CenterCropStep(4, 4),
        new RandomFlipStep(0.5, 0.25),
        new RandomRotationStep(12.5, fill: 0.1f),
        new BrainMaskStep(0.2f, 1, 0f),
        new ForegroundZScoreStep(0.05f, 2.5f, -1f),
        new RescaleIntensityStep(-1, 1, 0, 1, clip: true),
    ]);

    [Fact]
    public void ToJsonThenFromJson_EveryStepKind_RoundTrips()
    {
        var json = Everything.ToJson();

        var restored = PreprocessingPipeline.FromJson(json);

        Assert.Equal(Everything.Steps, restored.Steps);
        Assert.Equal(json, restored.ToJson());
        Assert.Contains("\"kind\":\"resize\"", json);
        Assert.Contains("\"method\":\"Area\"", json);
    }

    [Fact]
    public void FromJson_MissingOptionalValues_UseDefaults()
    {
        var pipeline = PreprocessingPipeline.FromJson("""{"steps":[{"kind":"resize","width":8,"height":8},{"kind":"rescaleIntensity"}]}""");

        Assert.Equal(new ResizeStep(8, 8, ResizeMethod.Bilinear), pipeline.Steps[0]);
        Assert.Equal(new RescaleIntensityStep(0, 1, -1, 1), pipeline.Steps[1]);
    }

    [Fact]
    public void FromJson_UnknownKind_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"kind":"sharpen"}]}"""));
    }

    [Fact]
    public void FromJson_OutOfRangeValue_ThrowsNamingTheValue()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"kind":"resize","width":0,"height":8}]}"""));

        Assert.Contains("width", ex.Message);
    }

    [Fact]
    public void Apply_SkipsAugmentations_ApplyForTrainingIsSeeded()
    {
        var image = PngNoise(8, 6);

        var inference = Everything.Apply(image);
        var noAugmentation = new PreprocessingPipeline([.. Everything.Steps.Where(s => !s.IsAugmentation)]).Apply(image);
        var trainingA = Everything.ApplyForTraining(image, new RandomSource(9));
        var trainingB = Everything.ApplyForTraining(image, new RandomSource(9));

        Assert.Equal(noAugmentation.Pixels.ToArray(), inference.Pixels.ToArray());
        Assert.Equal(trainingA.Pixels.ToArray(), trainingB.Pixels.ToArray());
        Assert.NotEqual(inference.Pixels.ToArray(), trainingA.Pixels.ToArray());
        Assert.Equal((4, 4, 1), (inference.Width, inference.Height, inference.Channels));
    }

    [Fact]
    public void ApplyToMask_FollowsGeometryOnly_AndStaysBinary()
    {
        var mask = ImageData.FromPlanar(12, 8, 1, [.. Enumerable.Range(0, 96).Select(i => i % 12 < 4 ? 1f : 0f)]);

        var result = Everything.ApplyToMask(mask);

        // Area 12×8 → 6×4 keeps the left third (columns 0–1), then the 4×4 centre crop starts at column 1.
        Assert.Equal((4, 4), (result.Width, result.Height));
        Assert.Equal([1f, 0f, 0f, 0f], result.Pixels[..4].ToArray());
        Assert.All(result.Pixels.ToArray(), v => Assert.True(v is 0f or 1f));
        Assert.Throws<ArgumentException>(() => Everything.ApplyToMask(PngNoise(2, 2)));
    }

    [Fact]
    public void Constructor_NullStep_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PreprocessingPipeline([new ConvertChannelsStep(1), null!]));
    }

    private static ImageData PngNoise(int width, int height)
    {
        var random = new Random(4);
        return ImageData.FromPlanar(width, height, 3, [.. Enumerable.Range(0, width * height * 3).Select(_ => random.NextSingle())]);
    }
}
