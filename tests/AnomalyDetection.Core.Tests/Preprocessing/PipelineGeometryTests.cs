using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Core.Tests.Preprocessing;

/// <summary>A custom pipeline must deliver what the network takes, and no step may resize or crop without bound.</summary>
public class PipelineGeometryTests
{
    [Fact]
    public void OutputSizeAndChannels_AreSetByTheLastGeometryAndChannelSteps()
    {
        var pipeline = new PreprocessingPipeline([new ConvertChannelsStep(3), new ResizeStep(40, 30), new CenterCropStep(24, 20), new ConvertChannelsStep(1), new RescaleIntensityStep()]);

        Assert.Equal((24, 20), pipeline.OutputSize);
        Assert.Equal(1, pipeline.OutputChannels);
        var output = pipeline.Apply(ImageData.FromPlanar(7, 9, 3, new float[7 * 9 * 3]));
        Assert.Equal((24, 20, 1), (output.Width, output.Height, output.Channels));
        Assert.Null(PreprocessingPipeline.Empty.OutputSize);
        Assert.Null(PreprocessingPipeline.Empty.OutputChannels);
    }

    [Theory]
    [InlineData(100_000, 100_000)]
    [InlineData(8193, 8192)]
    [InlineData(int.MaxValue, 1)]
    public void ResizeAndCrop_BeyondThePixelLimit_AreRefusedQuotingTheSize(int width, int height)
    {
        var resize = Assert.Throws<ArgumentOutOfRangeException>(() => new ResizeStep(width, height));
        var crop = Assert.Throws<ArgumentOutOfRangeException>(() => new CenterCropStep(width, height));

        Assert.Contains($"resize to {width} × {height} exceeds the limit of {ImageLimits.MaxPixels} pixels", resize.Message);
        Assert.Contains($"crop to {width} × {height}", crop.Message);
        Assert.Equal((8192, 8192), new ResizeStep(8192, 8192).OutputSize);
    }

    [Fact]
    public void ForgedResizeInJson_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"kind":"resize","width":100000,"height":100000,"method":"Bilinear"}]}"""));
    }

    [Theory]
    [InlineData("none", "Preprocessing has no resize or crop step")]
    [InlineData("size", "Preprocessing ends at 32 × 32, but ImageSize is 16")]
    [InlineData("no-channels", "Preprocessing has no convertChannels step")]
    [InlineData("channels", "Preprocessing converts to 3 channel(s), but Channels is 1")]
    public void Validate_PipelineThatDoesNotDeliverTheNetworkInput_IsReported(string mismatch, string expected)
    {
        var options = new PlainOptions { ImageSize = 16, Channels = 1 };
        options.Preprocessing = new PreprocessingPipeline(mismatch switch
        {
            "none" => [new ConvertChannelsStep(1), new RescaleIntensityStep()],
            "size" => [new ConvertChannelsStep(1), new ResizeStep(32, 32)],
            "no-channels" => [new ResizeStep(16, 16)],
            _ => [new ConvertChannelsStep(3), new ResizeStep(16, 16)],
        });

        var error = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_DefaultAndMatchingPipelines_AreAccepted()
    {
        var options = new PlainOptions { ImageSize = 16, Channels = 3 };
        Assert.Empty(options.Validate());
        options.Preprocessing = new PreprocessingPipeline([new ConvertChannelsStep(3), new ResizeStep(20, 20), new CenterCropStep(16, 16), new RandomFlipStep(0.5)]);
        Assert.Empty(options.Validate());
    }

    private sealed class PlainOptions : DetectorOptions;
}
