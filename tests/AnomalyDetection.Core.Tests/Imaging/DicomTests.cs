using System.Text.Json;
using AnomalyDetection.Core.Tests.Data;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

/// <summary>
/// The DICOM fixtures of Fixtures/dicom (written by pydicom and converted by DCMTK's dcmconv, see
/// tools/imaging/make_dicom_fixtures.py) compared sample for sample with what pydicom decodes, stored next to each
/// file as JSON: the stored values (pixel_array) and, for gray files, the modality values (apply_modality_lut).
/// </summary>
public class DicomTests
{
    public static TheoryData<string> GrayFiles => new()
    {
        "mono2_u12_explicit.dcm", "mono2_s16_implicit.dcm", "mono1_u8_explicit.dcm", "mono1_u16_implicit.dcm",
        "mono2_s8_explicit.dcm", "mono2_s12_deflated.dcm", "multiframe_u16_explicit.dcm", "multiframe_u8_deflated.dcm",
    };

    public static TheoryData<string> SingleFrameFiles => new()
    {
        "mono2_u12_explicit.dcm", "mono2_s16_implicit.dcm", "mono1_u8_explicit.dcm", "mono1_u16_implicit.dcm",
        "mono2_s8_explicit.dcm", "mono2_s12_deflated.dcm", "rgb_interleaved_explicit.dcm", "rgb_planar_implicit.dcm",
        "rgb_planar_deflated.dcm",
    };

    [Theory]
    [MemberData(nameof(SingleFrameFiles))]
    public void Load_SingleFrame_MatchesPydicomStoredValuesScaledToTheBitRange(string file)
    {
        var expected = Expected.Of(file);

        var image = ImageIO.Load(Fixtures.PathOf("dicom/" + file));

        Assert.Equal((expected.Columns, expected.Rows, expected.Samples, expected.BitsStored), (image.Width, image.Height, image.Channels, image.SourceBitDepth));
        var low = expected.Signed ? -(1L << (expected.BitsStored - 1)) : 0;
        var range = (double)((1L << expected.BitsStored) - 1);
        var inverted = expected.Photometric == "MONOCHROME1";
        for (var y = 0; y < expected.Rows; y++)
        {
            for (var x = 0; x < expected.Columns; x++)
            {
                for (var c = 0; c < expected.Samples; c++)
                {
                    var stored = expected.Stored[(((y * expected.Columns) + x) * expected.Samples) + c];
                    var value = (float)((stored - low) / range);
                    Assert.Equal(inverted ? 1f - value : value, image[c, y, x]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(GrayFiles))]
    public void LoadVolume_Gray_MatchesPydicomModalityValuesFrameBySlice(string file)
    {
        var expected = Expected.Of(file);

        var volume = ImageIO.LoadVolume(Fixtures.PathOf("dicom/" + file));

        Assert.Equal((expected.Columns, expected.Rows, expected.Frames, expected.BitsStored), (volume.Width, volume.Height, volume.Depth, volume.SourceBitDepth));
        Assert.Equal(expected.Photometric == "MONOCHROME1", volume.InvertedDisplay);
        var i = 0;
        for (var z = 0; z < expected.Frames; z++)
        {
            for (var y = 0; y < expected.Rows; y++)
            {
                for (var x = 0; x < expected.Columns; x++)
                {
                    Assert.Equal((float)expected.Modality![i++], volume[x, y, z]);
                }
            }
        }
    }

    [Fact]
    public void Load_MultiFrame_PointsToLoadVolume()
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Load(Fixtures.PathOf("dicom/multiframe_u16_explicit.dcm")));

        Assert.Contains("3 frames", error.Problem);
        Assert.Contains("LoadVolume", error.Problem);
    }

    [Fact]
    public void LoadVolume_Colour_PointsToLoad()
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.LoadVolume(Fixtures.PathOf("dicom/rgb_planar_implicit.dcm")));

        Assert.Contains("ImageIO.Load", error.Problem);
    }

    [Fact]
    public void DisplayWindow_FileCenterWidth_AppliesTheDicomLinearFunction()
    {
        // Window Center 40, Width 400 on modality values (stored − 1024): the DICOM linear function maps
        // x ≤ 40 − 0.5 − 199.5 = −160 to 0, x > 239 to 1, and ((x − 39.5) / 399 + 0.5) between.
        var expected = Expected.Of("mono2_u12_explicit.dcm");
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("dicom/mono2_u12_explicit.dcm"));

        Assert.Equal(IntensityWindow.Fixed(-160, 239), volume.DisplayWindow);
        var slice = volume.AxialSlice(0, volume.DisplayWindow);
        for (var i = 0; i < expected.Modality!.Length; i++)
        {
            var x = expected.Modality[i];
            var dicom = x <= -160 ? 0 : x > 239 ? 1 : ((x - 39.5) / 399) + 0.5;
            Assert.Equal(dicom, slice.Pixels[i], 6);
        }
    }

    [Fact]
    public void DisplayWindow_SeveralWindows_TakesTheFirst()
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("dicom/multiframe_u16_explicit.dcm"));

        Assert.Equal(IntensityWindow.CenterWidth(30000, 20000), volume.DisplayWindow);
        Assert.Null(ImageIO.LoadVolume(Fixtures.PathOf("dicom/mono2_s8_explicit.dcm")).DisplayWindow);
    }

    [Fact]
    public void AxialSlice_Monochrome1_IsDisplayedInverted()
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("dicom/mono1_u8_explicit.dcm"));

        var slice = volume.AxialSlice(0, IntensityWindow.Fixed(0, 255));

        Assert.Equal(ImageIO.Load(Fixtures.PathOf("dicom/mono1_u8_explicit.dcm")).Pixels.ToArray(), slice.Pixels.ToArray());
    }

    [Fact]
    public void IsImageFile_ExtensionlessDicom_IsRecognisedByItsPreamble()
    {
        var extensionless = Fixtures.PathOf("dicom/IM000001");
        var json = Fixtures.PathOf("dicom/mono2_u12_explicit.json");

        Assert.True(ImageIO.IsImageFile(extensionless));
        Assert.True(ImageIO.IsImageFile(Fixtures.PathOf("dicom/mono2_u12_explicit.dcm")));
        Assert.False(ImageIO.IsImageFile(json));
        Assert.Equal(ImageIO.Load(Fixtures.PathOf("dicom/mono2_u12_explicit.dcm")).Pixels.ToArray(), ImageIO.Load(extensionless).Pixels.ToArray());
    }

    [Fact]
    public void IsImageFile_UidNamedDicom_IsRecognised()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Root, "1.2.826.0.1.3680043.8.498.12345");
        File.Copy(Fixtures.PathOf("dicom/IM000001"), path);
        var text = folder.File("README", "not an image");

        Assert.True(ImageIO.IsImageFile(path));
        Assert.False(ImageIO.IsImageFile(text));
    }

    [Fact]
    public void FolderDatasetReader_DicomFolder_ListsDcmAndExtensionlessFiles()
    {
        using var folder = new TempFolder();
        folder.Folder("train/normal");
        File.Copy(Fixtures.PathOf("dicom/mono2_u12_explicit.dcm"), Path.Combine(folder.Root, "train/normal/a.dcm"));
        File.Copy(Fixtures.PathOf("dicom/IM000001"), Path.Combine(folder.Root, "train/normal/IM000002"));
        folder.File("train/normal/DICOMDIR.txt", "index");

        var splits = FolderDatasetReader.Read(folder.Root);

        Assert.Equal(["train/normal/IM000002", "train/normal/a.dcm"], splits.Train.Select(i => i.Name));
        Assert.All(splits.Train, i => Assert.Equal((8, 6), (i.LoadImage().Width, i.LoadImage().Height)));
    }

    [Fact]
    public void Load_RleCompressed_RefusesNamingTheTransferSyntax()
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Load(Fixtures.PathOf("dicom/rle_refused.dcm")));

        Assert.Contains("'1.2.840.10008.1.2.5' (RLE lossless) is not supported", error.Problem);
        Assert.EndsWith("rle_refused.dcm", error.FilePath);
    }

    [Fact]
    public void Load_NoPatientDataInMessages()
    {
        var file = Fixtures.Read("dicom/mono2_u12_explicit.dcm");
        var truncated = file[..^10];

        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(truncated, "scan.dcm"));

        Assert.Contains("truncated", error.Problem);
        Assert.DoesNotContain("Synthetic", error.Message);
        Assert.DoesNotContain("FIXTURE", error.Message);
    }

    [Fact]
    public void Decode_ForgedRowsAndColumns_RefusedBeforeAllocating()
    {
        var file = Fixtures.Read("dicom/mono2_u12_explicit.dcm");
        var rows = FindUInt16Element(file, 0x0028, 0x0010);
        file[rows] = 0xFF;
        file[rows + 1] = 0xFF;
        var columns = FindUInt16Element(file, 0x0028, 0x0011);
        file[columns] = 0xFF;
        file[columns + 1] = 0xFF;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "forged.dcm"));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("exceed the limit", error.Problem);
    }

    [Fact]
    public void Decode_PixelDataShorterThanDeclared_IsTruncated()
    {
        var file = Fixtures.Read("dicom/mono2_u12_explicit.dcm");
        var rows = FindUInt16Element(file, 0x0028, 0x0010);
        file[rows] = 7;

        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "short.dcm"));

        Assert.Contains("the pixel data holds 96 bytes", error.Problem);
    }

    [Fact]
    public void CenterWidth_NarrowWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.CenterWidth(0, 1));
        Assert.Equal(IntensityWindow.Fixed(-1, 0), IntensityWindow.CenterWidth(0, 2));
    }

    /// <summary>The value offset of an explicit VR US element (tag, "US", 2-byte length) in a little-endian file.</summary>
    private static int FindUInt16Element(byte[] file, ushort group, ushort element)
    {
        byte[] header = [(byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8), (byte)'U', (byte)'S', 2, 0];
        var at = file.AsSpan().IndexOf(header);
        Assert.True(at > 0);
        return at + header.Length;
    }

    private sealed record Expected(int Rows, int Columns, int Frames, int Samples, int BitsStored, bool Signed, string Photometric, long[] Stored, double[]? Modality)
    {
        public static Expected Of(string file)
        {
            using var json = JsonDocument.Parse(Fixtures.Read("dicom/" + Path.ChangeExtension(file, ".json")));
            var root = json.RootElement;
            return new Expected(
                root.GetProperty("rows").GetInt32(),
                root.GetProperty("columns").GetInt32(),
                root.GetProperty("frames").GetInt32(),
                root.GetProperty("samples").GetInt32(),
                root.GetProperty("bitsStored").GetInt32(),
                root.GetProperty("signed").GetBoolean(),
                root.GetProperty("photometric").GetString()!,
                [.. root.GetProperty("stored").EnumerateArray().Select(e => e.GetInt64())],
                root.TryGetProperty("modality", out var modality) ? [.. modality.EnumerateArray().Select(e => e.GetDouble())] : null);
        }
    }
}
