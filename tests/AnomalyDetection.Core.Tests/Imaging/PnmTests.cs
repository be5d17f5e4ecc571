using System.Text;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class PnmTests
{
    [Theory]
    [InlineData("pil_gray.pgm", 1, 8)]
    [InlineData("pil_gray16.pgm", 1, 16)]
    [InlineData("pil_rgb.ppm", 3, 8)]
    public void Decode_PillowFixture_MatchesEverySample(string file, int channels, int depth)
    {
        var image = ImageIO.Load(Fixtures.PathOf(file));

        Assert.Equal((9, 6, channels, depth), (image.Width, image.Height, image.Channels, image.SourceBitDepth));
        var max = (float)((1 << depth) - 1);
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < 6; y++)
            {
                for (var x = 0; x < 9; x++)
                {
                    Assert.Equal(Fixtures.Sample(x, y, c, depth) / max, image[c, y, x]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 16)]
    [InlineData(3, 8)]
    [InlineData(3, 16)]
    public void EncodeThenDecode_RandomImage_ReturnsQuantizedSamples(int channels, int bitDepth)
    {
        var image = PngEncoderTests.RandomImage(seed: 5, width: 6, height: 4, channels);

        var decoded = ImageIO.Decode(ImageIO.EncodePnm(image, bitDepth));

        Assert.Equal(bitDepth, decoded.SourceBitDepth);
        Assert.Equal(PngEncoderTests.Quantized(image, bitDepth), decoded.Pixels.ToArray());
    }

    [Fact]
    public void Decode_CommentsAndOddMaxval_ScalesByMaxval()
    {
        // maxval 1000 needs two bytes per sample (big-endian) and records a 10-bit source.
        var header = Encoding.ASCII.GetBytes("P5 # a comment\n2 # width\n1\n1000\n");
        byte[] file = [.. header, 0x00, 0x00, 0x03, 0xE8];

        var image = ImageIO.Decode(file);

        Assert.Equal([0f, 1f], image.Pixels.ToArray());
        Assert.Equal(10, image.SourceBitDepth);
    }

    [Fact]
    public void Encode_ImageWithAlpha_Throws()
    {
        var image = ImageData.FromPlanar(1, 1, 2, [0.5f, 1f]);

        var ex = Assert.Throws<ArgumentException>(() => ImageIO.EncodePnm(image));

        Assert.Contains("2 channels", ex.Message);
    }

    [Theory]
    [InlineData("P2\n2 1\n255\n1 2\n", "P2 is not supported")]
    [InlineData("P5\n2 1\n0\n\0\0", "maxval 0")]
    [InlineData("P5\n2 1\n70000\n\0\0\0\0", "maxval 70000")]
    [InlineData("P5\n0 1\n255\n", "dimensions")]
    [InlineData("P5\n100000 100000\n255\n", "exceed the limit")]
    [InlineData("P5\n99999999999 1\n255\n", "too large")]
    [InlineData("P5\n2 x\n255\n", "not a number")]
    [InlineData("P5\n2 1\n255", "truncated")]
    [InlineData("P5\n3 1\n255\n\0\0", "truncated")]
    [InlineData("P5\n2 1\n255x\0\0", "instead of whitespace")]
    [InlineData("P5\n1 1\n10\n\u000b", "above maxval")]
    public void Decode_MalformedFile_ThrowsWithReason(string content, string expected)
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(Encoding.Latin1.GetBytes(content)));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsInvalidImage()
    {
        var file = ImageIO.EncodePnm(PngEncoderTests.RandomImage(6, 3, 2, 3), 16);

        for (var length = 0; length < file.Length; length++)
        {
            Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file.AsSpan(0, length)));
        }
    }
}
