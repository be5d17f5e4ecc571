using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class PngMalformedTests
{
    private static readonly byte[] TwoByTwoGray = [0, 10, 20, 0, 30, 40];

    [Fact]
    public void Decode_EveryTruncation_ThrowsInvalidImage()
    {
        var file = ImageIO.EncodePng(PngEncoderTests.RandomImage(1, 5, 4, 3));

        for (var length = 0; length < file.Length; length++)
        {
            var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file.AsSpan(0, length), "cut.png"));
            Assert.Equal("cut.png", ex.FilePath);
        }
    }

    [Fact]
    public void Decode_CorruptedChunkData_ReportsCrcMismatch()
    {
        var file = ImageIO.EncodePng(PngEncoderTests.RandomImage(2, 5, 4, 1));
        file[8 + 8 + 3] ^= 0x01; // a byte of the IHDR width

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("CRC", ex.Message);
        Assert.Contains("IHDR", ex.Message);
    }

    [Fact]
    public void Decode_AbsurdDimensions_ThrowsBeforeAllocating()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(100_000, 100_000, 16, 6), PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("exceed the limit", ex.Message);
    }

    [Fact]
    public void Decode_DimensionsTheDataCannotHold_ThrowsBeforeAllocating()
    {
        // 8000 × 8000 RGBA16 is within the pixel limit, but 12 bytes of deflate data cannot expand to 512 MB.
        var file = PngBuilder.File(PngBuilder.Ihdr(8000, 8000, 16, 6), PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("cannot hold", ex.Message);
    }

    [Theory]
    [InlineData(0u, 2u, 8, 0, "dimensions")]
    [InlineData(2u, 0u, 8, 0, "dimensions")]
    [InlineData(2u, 2u, 3, 0, "bit depth 3")]
    [InlineData(2u, 2u, 4, 2, "bit depth 4")]
    [InlineData(2u, 2u, 16, 3, "bit depth 16")]
    [InlineData(2u, 2u, 1, 6, "bit depth 1")]
    [InlineData(2u, 2u, 8, 5, "colour type 5")]
    [InlineData(2u, 2u, 8, 7, "colour type 7")]
    public void Decode_InvalidHeader_Throws(uint width, uint height, byte bitDepth, byte colorType, string expected)
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(width, height, bitDepth, colorType), PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData(1, 0, 0, "compression method 1")]
    [InlineData(0, 1, 0, "filter method 1")]
    [InlineData(0, 0, 2, "interlace method 2")]
    public void Decode_UnsupportedMethods_Throw(byte compression, byte filter, byte interlace, string expected)
    {
        var ihdr = PngBuilder.Ihdr(2, 2, 8, 0, interlace, compression, filter);
        var file = PngBuilder.File(ihdr, PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Decode_UndefinedFilterType_ThrowsNamingTheRow()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 2, 8, 0), PngBuilder.Idat([0, 10, 20, 5, 30, 40]), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("scanline 1 uses filter type 5", ex.Message);
    }

    [Fact]
    public void Decode_PaletteIndexPastPalette_Throws()
    {
        var file = PngBuilder.File(
            PngBuilder.Ihdr(2, 1, 8, 3),
            PngBuilder.Chunk("PLTE", [1, 2, 3, 4, 5, 6]),
            PngBuilder.Idat([0, 1, 2]),
            PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("palette index 2", ex.Message);
    }

    [Fact]
    public void Decode_PaletteImageWithoutPalette_Throws()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 1, 8, 3), PngBuilder.Idat([0, 0, 0]), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("PLTE", ex.Message);
    }

    [Fact]
    public void Decode_TransparencyLongerThanPalette_Throws()
    {
        var file = PngBuilder.File(
            PngBuilder.Ihdr(2, 1, 8, 3),
            PngBuilder.Chunk("PLTE", [1, 2, 3]),
            PngBuilder.Chunk("tRNS", [0, 0]),
            PngBuilder.Idat([0, 0, 0]),
            PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("tRNS", ex.Message);
    }

    [Fact]
    public void Decode_FirstChunkNotHeader_Throws()
    {
        var file = PngBuilder.File(PngBuilder.Idat(TwoByTwoGray), PngBuilder.Ihdr(2, 2, 8, 0), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("IHDR first", ex.Message);
    }

    [Fact]
    public void Decode_ImageDataSplitByAnotherChunk_Throws()
    {
        var compressed = PngBuilder.Compress(TwoByTwoGray);
        var file = PngBuilder.File(
            PngBuilder.Ihdr(2, 2, 8, 0),
            PngBuilder.Chunk("IDAT", compressed[..4]),
            PngBuilder.Chunk("tEXt", [65, 0, 66]),
            PngBuilder.Chunk("IDAT", compressed[4..]),
            PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("not consecutive", ex.Message);
    }

    [Fact]
    public void Decode_UnknownCriticalChunk_Throws()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 2, 8, 0), PngBuilder.Chunk("ABCD", []), PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("critical chunk 'ABCD'", ex.Message);
    }

    [Fact]
    public void Decode_NoImageData_Throws()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 2, 8, 0), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("no IDAT", ex.Message);
    }

    [Fact]
    public void Decode_TooLittleImageData_ReportsTruncation()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 3, 8, 0), PngBuilder.Idat(TwoByTwoGray), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("ends after 6 of 9 bytes", ex.Message);
    }

    [Fact]
    public void Decode_CorruptDeflateStream_Throws()
    {
        var file = PngBuilder.File(PngBuilder.Ihdr(2, 2, 8, 0), PngBuilder.Chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF]), PngBuilder.Iend());

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file));

        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void Decode_RandomByteCorruption_OnlyEverThrowsInvalidImage()
    {
        var original = ImageIO.EncodePng(PngEncoderTests.RandomImage(3, 6, 5, 4));
        var random = new Random(11);
        for (var trial = 0; trial < 500; trial++)
        {
            var file = (byte[])original.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                file[random.Next(file.Length)] = (byte)random.Next(256);
            }

            DecodeOrReject(file);
        }
    }

    [Fact]
    public void Decode_CorruptionBehindValidCrcs_OnlyEverThrowsInvalidImage()
    {
        // Mutating chunk bodies and recomputing their CRCs, and mutating the scanlines before compression, reaches
        // the header checks, palette lookups and unfiltering that a CRC failure would otherwise stop in front of.
        var random = new Random(12);
        byte[][] headers = [PngBuilder.Ihdr(5, 3, 8, 3), PngBuilder.Ihdr(5, 3, 2, 3, interlace: 1), PngBuilder.Ihdr(5, 3, 16, 6, interlace: 1)];
        for (var trial = 0; trial < 600; trial++)
        {
            var header = (byte[])headers[trial % headers.Length].Clone();
            var scanlines = new byte[random.Next(0, 200)];
            random.NextBytes(scanlines);
            var palette = new byte[3 * random.Next(1, 6)];
            var chunks = new List<(string Type, byte[] Body)>
            {
                ("IHDR", header[8..^4]),
                ("PLTE", palette),
                ("tRNS", new byte[random.Next(0, 4)]),
                ("IDAT", PngBuilder.Compress(scanlines)),
                ("IEND", []),
            };
            var target = chunks[random.Next(chunks.Count)].Body;
            if (target.Length > 0)
            {
                target[random.Next(target.Length)] = (byte)random.Next(256);
            }

            DecodeOrReject(PngBuilder.File([.. chunks.Select(c => PngBuilder.Chunk(c.Type, c.Body))]));
        }
    }

    private static void DecodeOrReject(byte[] file)
    {
        try
        {
            var image = ImageIO.Decode(file);
            Assert.True(image.Pixels.Length > 0);
        }
        catch (InvalidImageException)
        {
        }
    }
}
