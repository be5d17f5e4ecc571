using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public sealed class ImageIOTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imageio-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SavePngAsyncThenLoadAsync_RoundTripsSixteenBitGray()
    {
        var image = PngEncoderTests.RandomImage(7, 9, 4, 1);
        var path = Path.Combine(_folder, "map.png");

        await ImageIO.SavePngAsync(image, path, bitDepth: 16);
        var loaded = await ImageIO.LoadAsync(path);

        Assert.Equal(16, loaded.SourceBitDepth);
        Assert.Equal(PngEncoderTests.Quantized(image, 16), loaded.Pixels.ToArray());
    }

    [Fact]
    public void Load_DispatchesOnContentNotExtension()
    {
        var image = PngEncoderTests.RandomImage(8, 3, 3, 3);
        var pngNamedPpm = Path.Combine(_folder, "actually-png.ppm");
        var ppmNamedPng = Path.Combine(_folder, "actually-ppm.png");
        ImageIO.SavePng(image, pngNamedPpm);
        ImageIO.SavePnm(image, ppmNamedPng);

        Assert.Equal(ImageIO.Load(pngNamedPpm).Pixels.ToArray(), ImageIO.Load(ppmNamedPng).Pixels.ToArray());
    }

    [Fact]
    public void Load_NiftiFile_PointsToLoadVolume()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Load(Fixtures.PathOf("uint8.nii")));

        Assert.Contains("LoadVolume", ex.Message);
        Assert.EndsWith("uint8.nii", ex.FilePath);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 }, "JPEG")]
    [InlineData(new byte[] { 0x42, 0x4D, 1, 2 }, "first bytes 424D0102")]
    public void Decode_UnsupportedContent_SaysWhy(byte[] data, string expected)
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(data, "x"));

        Assert.Contains(expected, ex.Message);
        Assert.Equal("x", ex.FilePath);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ImageIO.Load(Path.Combine(_folder, "missing.png")));
    }

    [Fact]
    public async Task LoadAsync_CancelledToken_Throws()
    {
        var path = Path.Combine(_folder, "a.png");
        ImageIO.SavePng(PngEncoderTests.RandomImage(9, 2, 2, 1), path);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageIO.LoadAsync(path, new CancellationToken(canceled: true)));
    }
}
