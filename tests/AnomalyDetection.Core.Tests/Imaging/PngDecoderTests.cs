using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class PngDecoderTests
{
    // Fixtures written by the minimal encoder in Fixtures/generate.py (filters cycle 0..4 row by row) and by Pillow.
    // Arguments: file, width, height, colour type, bit depth, tRNS entries (palette) or 1 (gray/RGB key), channels.
    [Theory]
    [InlineData("gray1.png", 13, 5, 0, 1, 0, 1)]
    [InlineData("gray2_interlaced.png", 11, 9, 0, 2, 0, 1)]
    [InlineData("gray2_trns.png", 7, 5, 0, 2, 1, 2)]
    [InlineData("gray4.png", 7, 5, 0, 4, 0, 1)]
    [InlineData("gray8_interlaced_multi_idat.png", 11, 9, 0, 8, 0, 1)]
    [InlineData("gray8_trns.png", 7, 5, 0, 8, 1, 2)]
    [InlineData("gray16_interlaced.png", 11, 9, 0, 16, 0, 1)]
    [InlineData("grayalpha8.png", 7, 5, 4, 8, 0, 2)]
    [InlineData("grayalpha16_interlaced.png", 11, 9, 4, 16, 0, 2)]
    [InlineData("rgb8_multi_idat.png", 7, 5, 2, 8, 0, 3)]
    [InlineData("rgb8_trns.png", 7, 5, 2, 8, 1, 4)]
    [InlineData("rgb8_interlaced_1x1.png", 1, 1, 2, 8, 0, 3)]
    [InlineData("rgb16.png", 7, 5, 2, 16, 0, 3)]
    [InlineData("rgba8_interlaced.png", 11, 9, 6, 8, 0, 4)]
    [InlineData("rgba16.png", 7, 5, 6, 16, 0, 4)]
    [InlineData("palette1_trns.png", 13, 5, 3, 1, 1, 4)]
    [InlineData("palette2_interlaced.png", 11, 9, 3, 2, 0, 3)]
    [InlineData("palette4_trns.png", 7, 5, 3, 4, 8, 4)]
    [InlineData("palette8_trns_interlaced.png", 11, 9, 3, 8, 100, 4)]
    [InlineData("pil_palette_trns.png", 9, 6, 3, 8, 100, 4)]
    [InlineData("pil_gray16.png", 9, 6, 0, 16, 0, 1)]
    [InlineData("pil_gray.png", 9, 6, 0, 8, 0, 1)]
    [InlineData("pil_grayalpha.png", 9, 6, 4, 8, 0, 2)]
    [InlineData("pil_rgb.png", 9, 6, 2, 8, 0, 3)]
    [InlineData("pil_rgba.png", 9, 6, 6, 8, 0, 4)]
    public void Decode_IndependentlyEncodedFixture_MatchesEverySample(string file, int width, int height, int colorType, int depth, int transparency, int channels)
    {
        var image = ImageIO.Load(Fixtures.PathOf(file));

        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(channels, image.Channels);
        Assert.Equal(depth, image.SourceBitDepth);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var expected = ExpectedPixel(x, y, colorType, depth, transparency);
                for (var c = 0; c < channels; c++)
                {
                    Assert.True(expected[c] == image[c, y, x], $"{file}: sample (c={c}, y={y}, x={x}) is {image[c, y, x]}, expected {expected[c]}.");
                }
            }
        }
    }

    [Fact]
    public void Decode_TransparencyKey_MakesOnlyMatchingPixelsTransparent()
    {
        var image = ImageIO.Load(Fixtures.PathOf("rgb8_trns.png"));

        // The key is the colour of pixel (1, 1); with a hash-like formula no other pixel shares it.
        Assert.Equal(0f, image[3, 1, 1]);
        Assert.Equal(1, image.Channel(3).ToArray().Count(a => a == 0f));
    }

    [Fact]
    public void Decode_UnknownAncillaryChunk_IsIgnored()
    {
        var scanlines = new byte[] { 0, 10, 20, 0, 30, 40 };
        var file = PngBuilder.File(
            PngBuilder.Ihdr(2, 2, 8, 0),
            PngBuilder.Chunk("vpAg", [1, 2, 3]),
            PngBuilder.Idat(scanlines),
            PngBuilder.Chunk("zzZz", []),
            PngBuilder.Iend());

        var image = ImageIO.Decode(file);

        Assert.Equal([10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f], image.Pixels.ToArray());
    }

    [Fact]
    public void Decode_EveryFilterOnHandComputedRows_Reconstructs()
    {
        // A 2×5 gray image whose rows use filters 0 to 4; the expected levels are worked out by hand beside each row.
        byte[] rows =
        [
            0, 100, 200, // None
            1, 50, 10,   // Sub: 50, 60
            2, 5, 5,     // Up: 55, 65
            3, 10, 20,   // Average: 10 + (0 + 55) / 2 = 37, 20 + (37 + 65) / 2 = 71
            4, 3, 4,     // Paeth: 3 + paeth(0, 37, 0) = 40, 4 + paeth(40, 71, 37) = 4 + 71 = 75
        ];
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 5, 8, 0), PngBuilder.Idat(rows), PngBuilder.Iend());

        var image = ImageIO.Decode(file);

        var levels = image.Pixels.ToArray().Select(v => (int)MathF.Round(v * 255)).ToArray();
        Assert.Equal([100, 200, 50, 60, 55, 65, 37, 71, 40, 75], levels);
    }

    [Fact]
    public void Crc32_StandardCheckValue_Matches()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    private static float[] ExpectedPixel(int x, int y, int colorType, int depth, int transparency)
    {
        var max = (float)((1 << depth) - 1);
        switch (colorType)
        {
            case 3:
                var index = Fixtures.PaletteIndex(x, y, depth);
                var (r, g, b) = Fixtures.PaletteEntry(index);
                var alpha = index < transparency ? Fixtures.PaletteAlpha(index) / 255f : 1f;
                return [r / 255f, g / 255f, b / 255f, alpha];
            default:
                var stored = colorType switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 };
                var samples = Enumerable.Range(0, stored).Select(c => Fixtures.Sample(x, y, c, depth)).ToArray();
                var values = samples.Select(s => s / max).ToList();
                if (transparency > 0)
                {
                    var key = Enumerable.Range(0, stored).Select(c => Fixtures.Sample(1, 1, c, depth));
                    values.Add(samples.SequenceEqual(key) ? 0f : 1f);
                }

                return [.. values];
        }
    }
}
