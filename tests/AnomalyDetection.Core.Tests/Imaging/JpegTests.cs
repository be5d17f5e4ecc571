using System.Text.Json;
using AnomalyDetection.Core.Tests.Data;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

/// <summary>
/// The JPEG fixtures of Fixtures/jpeg (written by Pillow, see tools/imaging/make_dicom_fixtures.py) compared pixel for
/// pixel with what Pillow's libjpeg-turbo decodes (stored next to each as PGM/PPM), and baseline JPEG inside DICOM
/// compared with DCMTK's dcmdjpeg.
/// </summary>
public class JpegTests
{
    [Theory]
    [InlineData("gray_baseline.jpg", "gray_baseline.expected.pgm", 1)]
    [InlineData("gray_progressive.jpg", "gray_progressive.expected.pgm", 1)]
    [InlineData("rgb_baseline.jpg", "rgb_baseline.expected.ppm", 3)]
    [InlineData("rgb_baseline_420.jpeg", "rgb_baseline_420.expected.ppm", 3)]
    [InlineData("rgb_progressive.jpg", "rgb_progressive.expected.ppm", 3)]
    public void Load_Fixture_MatchesLibjpegTurboPixelForPixel(string file, string expectedFile, int channels)
    {
        var expected = ImageIO.Load(Fixtures.PathOf("jpeg/" + expectedFile));

        var image = ImageIO.Load(Fixtures.PathOf("jpeg/" + file));

        Assert.Equal((16, 12, channels, 8), (image.Width, image.Height, image.Channels, image.SourceBitDepth));
        Assert.Equal(expected.Pixels.ToArray(), image.Pixels.ToArray());
    }

    [Theory]
    [InlineData("jpeg_baseline_gray.dcm")]
    [InlineData("jpeg_baseline_rgb.dcm")]
    public void Load_BaselineJpegDicom_MatchesDcmtkDecompression(string file)
    {
        using var json = JsonDocument.Parse(Fixtures.Read("dicom/" + Path.ChangeExtension(file, ".json")));
        var stored = json.RootElement.GetProperty("stored").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var samples = json.RootElement.GetProperty("samples").GetInt32();

        var image = ImageIO.Load(Fixtures.PathOf("dicom/" + file));

        Assert.Equal((16, 12, samples), (image.Width, image.Height, image.Channels));
        var worst = 0;
        for (var y = 0; y < 12; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                for (var c = 0; c < samples; c++)
                {
                    var expected = stored[(((y * 16) + x) * samples) + c];
                    worst = Math.Max(worst, Math.Abs(expected - (int)Math.Round(image[c, y, x] * 255)));
                }
            }
        }

        // DCMTK decodes with its own IJG libjpeg build and SkiaSharp with libjpeg-turbo: both use the exact integer
        // IDCT, so gray samples agree exactly; colour conversion and upsampling may round one level apart.
        Assert.True(worst <= (samples == 1 ? 0 : 1), $"largest difference {worst} levels");
    }

    [Fact]
    public void Load_JpegDicomAsVolume_GivesStoredValues()
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("dicom/jpeg_baseline_gray.dcm"));
        var image = ImageIO.Load(Fixtures.PathOf("jpeg/gray_baseline.jpg"));

        Assert.Equal((16, 12, 1), (volume.Width, volume.Height, volume.Depth));
        Assert.Equal(image.Pixels.ToArray().Select(v => (float)Math.Round(v * 255)).ToArray(), volume.Voxels.ToArray());
    }

    [Fact]
    public void Decode_Truncated_ThrowsInvalidImage()
    {
        var file = Fixtures.Read("jpeg/rgb_progressive.jpg");

        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file[..(file.Length * 2 / 3)], "cut.jpg"));

        Assert.Equal("cut.jpg", error.FilePath);
        Assert.Contains("truncated", error.Problem);
    }

    [Fact]
    public void Decode_ArithmeticCoding_IsRefusedNamingTheProcess()
    {
        var file = Fixtures.Read("jpeg/gray_baseline.jpg");
        var sof = file.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        file[sof + 1] = 0xC9;

        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "arith.jpg"));

        Assert.Contains("SOF9 (arithmetic coding) is not supported", error.Problem);
    }

    [Fact]
    public void FolderDatasetReader_JpegFolder_ListsJpgAndJpeg()
    {
        using var folder = new TempFolder();
        folder.Folder("train/normal");
        File.Copy(Fixtures.PathOf("jpeg/rgb_baseline.jpg"), Path.Combine(folder.Root, "train/normal/a.JPG"));
        File.Copy(Fixtures.PathOf("jpeg/rgb_baseline_420.jpeg"), Path.Combine(folder.Root, "train/normal/b.jpeg"));

        var splits = FolderDatasetReader.Read(folder.Root);

        Assert.Equal(["train/normal/a.JPG", "train/normal/b.jpeg"], splits.Train.Select(i => i.Name));
        Assert.All(splits.Train, i => Assert.Equal(3, i.LoadImage().Channels));
    }
}
