using AnomalyDetection.Imaging;
using AnomalyDetection.Engine;
using TorchSharp;

namespace AnomalyDetection.Core.Tests.Imaging;

public class ImageDataTests
{
    [Fact]
    public void FromInterleaved_StoresPlanarAndConvertsBack()
    {
        // Two RGB pixels in a row: (1, 2, 3) and (4, 5, 6).
        float[] interleaved = [1, 2, 3, 4, 5, 6];

        var image = ImageData.FromInterleaved(2, 1, 3, interleaved);

        Assert.Equal([1, 4, 2, 5, 3, 6], image.Pixels.ToArray());
        Assert.Equal(interleaved, image.ToInterleavedArray());
        Assert.Equal(5f, image[1, 0, 1]);
        Assert.Equal([3, 6], image.Channel(2).ToArray());
    }

    [Fact]
    public void FromPlanar_CopiesInput_SoTheImageStaysImmutable()
    {
        float[] pixels = [0.25f, 0.5f];
        var image = ImageData.FromPlanar(2, 1, 1, pixels);

        pixels[0] = 9;
        image.ToPlanarArray()[1] = 9;

        Assert.Equal([0.25f, 0.5f], image.Pixels.ToArray());
    }

    [Fact]
    public void ToTensorAndFromTensor_RoundTripWithNchwShape()
    {
        var image = ImageData.FromPlanar(3, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        var tensor = image.ToTensor();

        Assert.Equal([1, 2, 2, 3], TensorData.Shape(tensor));
        Assert.Equal(image.Pixels.ToArray(), TensorData.ToArray(tensor));
        Assert.Equal(image.Pixels.ToArray(), ImageData.FromTensor(tensor).Pixels.ToArray());
        Assert.Equal(3, ImageData.FromTensor(torch.zeros(2, 5, 3)).Width);
        Assert.Throws<ArgumentException>(() => ImageData.FromTensor(torch.zeros(2, 1, 5, 3)));
    }

    [Fact]
    public void ToBatchTensor_StacksInOrder_AndRejectsMixedShapes()
    {
        var a = ImageData.FromPlanar(2, 1, 1, [1, 2]);
        var b = ImageData.FromPlanar(2, 1, 1, [3, 4]);

        var batch = ImageData.ToBatchTensor([a, b]);

        Assert.Equal([2, 1, 1, 2], TensorData.Shape(batch));
        Assert.Equal([1, 2, 3, 4], TensorData.ToArray(batch));
        var ex = Assert.Throws<ArgumentException>(() => ImageData.ToBatchTensor([a, ImageData.FromPlanar(1, 2, 1, [0, 0])]));
        Assert.Contains("1×2×1", ex.Message);
        Assert.Throws<ArgumentException>(() => ImageData.ToBatchTensor([]));
    }

    [Theory]
    [InlineData(0, 1, 1, 0)]
    [InlineData(1, 1, 5, 5)]
    [InlineData(2, 2, 1, 3)]
    public void FromPlanar_InvalidShape_Throws(int width, int height, int channels, int length)
    {
        Assert.ThrowsAny<ArgumentException>(() => ImageData.FromPlanar(width, height, channels, new float[length]));
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var image = ImageData.FromPlanar(2, 1, 1, [0, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, 0, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[1, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Channel(-1));
    }
}
