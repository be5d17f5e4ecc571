using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module;

namespace AnomalyDetection.Core.Tests.Detection;

public class TrainingImageSetTests
{
    [Fact]
    public void HoldOut_SplitsTheImagesAsValidationSplitDoes_KeepingOrderAndPixels()
    {
        var dataset = Indexed(10);
        var set = TrainingImageSet.Load(dataset, PreprocessingPipeline.Empty);

        var (kept, held) = set.HoldOut(0.3, seed: 4);
        var split = ValidationSplit.Carve(dataset, 0.3, seed: 4);

        Assert.Equal(split.Validation.Select(Index), Values(held));
        Assert.Equal(split.Train.Select(Index), Values(kept));
        Assert.Equal(3, held.Count);
        Assert.Equal(Enumerable.Range(0, 10), Values(kept).Concat(Values(held)).Order());
    }

    [Fact]
    public void HoldOut_OtherSeed_HoldsOutOtherImages()
    {
        var set = TrainingImageSet.Load(Indexed(20), PreprocessingPipeline.Empty);

        Assert.NotEqual(Values(set.HoldOut(0.25, seed: 1).HeldOut), Values(set.HoldOut(0.25, seed: 2).HeldOut));
        Assert.Equal(Values(set.HoldOut(0.25, seed: 1).HeldOut), Values(set.HoldOut(0.25, seed: 1).HeldOut));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.01)]
    public void HoldOut_FractionLeavingAPartEmpty_Throws(double fraction)
    {
        var set = TrainingImageSet.Load(Indexed(10), PreprocessingPipeline.Empty);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => set.HoldOut(fraction, seed: 0));
        Assert.Equal("fraction", error.ParamName);
    }

    [Fact]
    public void PerImageError_GivesEachImagesMeanError_AndRestoresTrainingMode()
    {
        // Two 1×2 images: (0.1, 0.3) and (−0.4, 0.8); the error is |x|, so their means are 0.2 and 0.6.
        var items = new[] { new[] { 0.1f, 0.3f }, new[] { -0.4f, 0.8f } }.Select((pixels, i) =>
            new LabeledImage($"image{i}", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(2, 1, 1, pixels))));
        var set = TrainingImageSet.Load(new ImageDataset("two", items), PreprocessingPipeline.Empty);
        using Module network = torch.nn.Identity();
        network.train();

        var errors = ValidationError.PerImage(network, set, torch.CPU, batchSize: 1, batch => batch.abs());

        Assert.Equal([0.2f, 0.6f], errors, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.True(network.training);
    }

    /// <summary>Images whose single pixel value is their index, so a set says which images it holds.</summary>
    private static ImageDataset Indexed(int count) => new("indexed", Enumerable.Range(0, count).Select(i =>
        new LabeledImage($"image{i}", AnomalyLabel.Normal, ImageSource.FromImage(ImageData.FromPlanar(1, 1, 1, [i / 10f])))));

    private static int Index(LabeledImage item) => (int)MathF.Round(item.LoadImage().Pixels[0] * 10);

    private static int[] Values(TrainingImageSet set) => [.. TensorData.ToArray(set.All()).Select(v => (int)MathF.Round(v * 10))];
}
