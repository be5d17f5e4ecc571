using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 8)]
    [InlineData(3, 8)]
    [InlineData(4, 8)]
    [InlineData(1, 16)]
    [InlineData(3, 16)]
    [InlineData(4, 16)]
    public void EncodeThenDecode_RandomImage_ReturnsQuantizedSamples(int channels, int bitDepth)
    {
        var image = RandomImage(seed: channels * bitDepth, width: 13, height: 7, channels);

        var decoded = ImageIO.Decode(ImageIO.EncodePng(image, bitDepth));

        Assert.Equal(image.Width, decoded.Width);
        Assert.Equal(image.Height, decoded.Height);
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(bitDepth, decoded.SourceBitDepth);
        Assert.Equal(Quantized(image, bitDepth), decoded.Pixels.ToArray());
    }

    [Fact]
    public void EncodeThenDecode_SmoothGradient_IsExactAtEightBits()
    {
        // A gradient makes the Sub, Up, Average and Paeth filters win on different rows.
        var pixels = new float[3 * 16 * 16];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = ((i * 7) % 256) / 255f;
        }

        var image = ImageData.FromPlanar(16, 16, 3, pixels);

        var decoded = ImageIO.Decode(ImageIO.EncodePng(image));

        Assert.Equal(pixels, decoded.Pixels.ToArray());
    }

    [Fact]
    public void Encode_ValuesOutsideUnitRange_AreClamped()
    {
        var image = ImageData.FromPlanar(3, 1, 1, [-0.5f, 0.5f, 7f]);

        var decoded = ImageIO.Decode(ImageIO.EncodePng(image));

        Assert.Equal([0f, 128 / 255f, 1f], decoded.Pixels.ToArray());
    }

    [Fact]
    public void Encode_NaNSample_ThrowsNamingThePixel()
    {
        var image = ImageData.FromPlanar(2, 2, 1, [0, 0, 0, float.NaN]);

        var ex = Assert.Throws<ArgumentException>(() => ImageIO.EncodePng(image));

        Assert.Contains("row 1, column 1", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(32)]
    public void Encode_UnsupportedBitDepth_Throws(int bitDepth)
    {
        var image = ImageData.FromPlanar(1, 1, 1, [0.5f]);

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageIO.EncodePng(image, bitDepth));
    }

    /// <summary>The samples an encoder at <paramref name="bitDepth"/> stores, read back: the nearest level, halves up.</summary>
    internal static float[] Quantized(ImageData image, int bitDepth)
    {
        var max = (1 << bitDepth) - 1;
        return [.. image.Pixels.ToArray().Select(v => (float)Math.Floor((Math.Clamp(v, 0, 1) * (double)max) + 0.5) / max)];
    }

    internal static ImageData RandomImage(int seed, int width, int height, int channels)
    {
        var random = new Random(seed);
        var pixels = new float[width * height * channels];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle();
        }

        return ImageData.FromPlanar(width, height, channels, pixels);
    }
}
