using System.Buffers.Binary;
using System.IO.Compression;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

public class NiftiTests
{
    // Fixtures written field by field in Fixtures/generate.py: 4×3×2 voxels (4×3×2×2 for the 4-D file), pixdim
    // (1.5, 2, 3); the stored value of voxel (x, y, z, t) is a per-file transform of x + 4y + 12z + 100t.
    [Theory]
    [InlineData("uint8.nii", 8)]
    [InlineData("uint8_extension.nii.gz", 8)]
    [InlineData("int16_big_endian_scaled.nii", 16)]
    [InlineData("int32.nii", 32)]
    [InlineData("float32_4d.nii.gz", 32)]
    [InlineData("float64_scaled.nii", 64)]
    public void LoadVolume_Fixture_MatchesEveryVoxel(string file, int bitDepth)
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf(file));

        Assert.Equal((4, 3, 2), (volume.Width, volume.Height, volume.Depth));
        Assert.Equal((1.5f, 2f, 3f), (volume.SpacingX, volume.SpacingY, volume.SpacingZ));
        Assert.Equal(bitDepth, volume.SourceBitDepth);
        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(Expected(file, Fixtures.NiftiValue(x, y, z)), volume[x, y, z]);
                }
            }
        }
    }

    [Fact]
    public async Task LoadVolumeAsync_CompressedFixture_MatchesSynchronousLoad()
    {
        var path = Fixtures.PathOf("float32_4d.nii.gz");

        var volume = await ImageIO.LoadVolumeAsync(path);

        Assert.Equal(ImageIO.LoadVolume(path).Voxels.ToArray(), volume.Voxels.ToArray());
    }

    [Fact]
    public void AxialSlice_FixedWindow_PutsVoxelXYAtColumnXRowY()
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("uint8.nii"));

        var slice = volume.AxialSlice(1, IntensityWindow.Fixed(0, 255));

        Assert.Equal((4, 3, 1, 8), (slice.Width, slice.Height, slice.Channels, slice.SourceBitDepth));
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                Assert.Equal(Fixtures.NiftiValue(x, y, 1) * 10 / 255f, slice[0, y, x], 6);
            }
        }
    }

    [Fact]
    public void AxialSlice_Windows_MatchHandComputedValues()
    {
        var volume = Volume.FromVoxels(2, 2, 2, [0, 1, 2, 3, 0, 5, 10, 20]);

        Assert.Equal([0f, 0.05f, 0.1f, 0.15f], volume.AxialSlice(0).Pixels.ToArray());
        Assert.Equal([0f, 1 / 3f, 2 / 3f, 1f], volume.AxialSlice(0, IntensityWindow.SliceRange).Pixels.ToArray());
        Assert.Equal([0f, 0f, 0.5f, 1f], volume.AxialSlice(0, IntensityWindow.Fixed(1, 3)).Pixels.ToArray());

        // Non-zero voxels {1, 2, 3, 5, 10, 20}: np.percentile(..., [20, 60]) == [2, 5].
        var percentile = IntensityWindow.Percentile(20, 60);
        Assert.Equal([0f, 0f, 0f, 1 / 3f], volume.AxialSlice(0, percentile).Pixels.ToArray());
        Assert.Equal([0f, 1f, 1f, 1f], volume.AxialSlice(1, percentile).Pixels.ToArray());
    }

    [Fact]
    public void AxialSlice_ConstantSliceRange_IsAllZero()
    {
        var volume = Volume.FromVoxels(2, 1, 2, [7, 7, 1, 2]);

        Assert.Equal([0f, 0f], volume.AxialSlice(0, IntensityWindow.SliceRange).Pixels.ToArray());
    }

    [Fact]
    public void AxialSlices_EveryWindow_EqualsSliceBySlice()
    {
        var volume = ImageIO.LoadVolume(Fixtures.PathOf("int32.nii"));
        foreach (var window in new[] { IntensityWindow.VolumeRange, IntensityWindow.SliceRange, IntensityWindow.Percentile(1, 99) })
        {
            var slices = volume.AxialSlices(window);

            Assert.Equal(volume.Depth, slices.Count);
            for (var z = 0; z < volume.Depth; z++)
            {
                Assert.Equal(volume.AxialSlice(z, window).Pixels.ToArray(), slices[z].Pixels.ToArray());
            }
        }
    }

    [Fact]
    public void Windows_InvalidBounds_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.Fixed(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.Fixed(double.NaN, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.Percentile(50, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.Percentile(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityWindow.Percentile(0, 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Volume.FromVoxels(1, 1, 1, [0]).AxialSlice(1));
    }

    [Fact]
    public void FromVoxels_NonFiniteOrWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Volume.FromVoxels(2, 1, 1, [0]));
        Assert.Throws<ArgumentException>(() => Volume.FromVoxels(1, 1, 1, [float.NaN]));
    }

    [Fact]
    public void DecodeVolume_EveryTruncation_ThrowsInvalidImage()
    {
        var file = Fixtures.Read("uint8.nii");

        for (var length = 0; length < file.Length; length++)
        {
            Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(file.AsSpan(0, length)));
        }
    }

    [Fact]
    public void DecodeVolume_CompressedTruncation_ThrowsOrReturnsTheWholeVolume()
    {
        // A cut inside the deflate stream's last bits or the gzip trailer can leave every voxel readable; any other
        // cut must be reported, never returned as partial data.
        var file = Fixtures.Read("uint8_extension.nii.gz");
        var complete = ImageIO.DecodeVolume(file).Voxels.ToArray();

        Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(file.AsSpan(0, file.Length / 2)));
        for (var length = 0; length < file.Length; length++)
        {
            try
            {
                Assert.Equal(complete, ImageIO.DecodeVolume(file.AsSpan(0, length)).Voxels.ToArray());
            }
            catch (InvalidImageException)
            {
            }
        }
    }

    [Theory]
    [InlineData("size:100", "not a NIfTI-1 file")]
    [InlineData("size:540", "NIfTI-2")]
    [InlineData("magic:ni1", "pair")]
    [InlineData("magic:xyz", "magic")]
    [InlineData("rank:1", "dimensions) is 1")]
    [InlineData("rank:5", "dimensions) is 5")]
    [InlineData("dim2:0", "dimension 2 has size 0")]
    [InlineData("dim2:-3", "dimension 2 has size -3")]
    [InlineData("huge", "exceeds the limit")]
    [InlineData("datatype:32", "datatype 32 is not supported")]
    [InlineData("bitpix:16", "bitpix is 16")]
    [InlineData("offset:100", "vox_offset 100")]
    [InlineData("offset:352.5", "vox_offset 352.5")]
    [InlineData("offset:1000", "truncated")]
    public void DecodeVolume_ForgedHeader_ThrowsWithReason(string forgery, string expected)
    {
        var file = Fixtures.Read("uint8.nii");
        var header = file.AsSpan();
        var (field, value) = forgery.Contains(':') ? (forgery.Split(':')[0], forgery.Split(':')[1]) : (forgery, "");
        switch (field)
        {
            case "size": BinaryPrimitives.WriteInt32LittleEndian(header, int.Parse(value)); break;
            case "magic": "ni1\0"u8.CopyTo(header[344..]); if (value != "ni1") { header[344] = (byte)'x'; } break;
            case "rank": BinaryPrimitives.WriteInt16LittleEndian(header[40..], short.Parse(value)); break;
            case "dim2": BinaryPrimitives.WriteInt16LittleEndian(header[44..], short.Parse(value)); break;
            case "huge":
                BinaryPrimitives.WriteInt16LittleEndian(header[42..], 32767);
                BinaryPrimitives.WriteInt16LittleEndian(header[44..], 32767);
                BinaryPrimitives.WriteInt16LittleEndian(header[46..], 32767);
                break;
            case "datatype": BinaryPrimitives.WriteInt16LittleEndian(header[70..], short.Parse(value)); break;
            case "bitpix": BinaryPrimitives.WriteInt16LittleEndian(header[72..], short.Parse(value)); break;
            case "offset": BinaryPrimitives.WriteSingleLittleEndian(header[108..], float.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(file, "forged.nii"));

        Assert.Contains(expected, ex.Message);
        Assert.Equal("forged.nii", ex.FilePath);
    }

    [Fact]
    public void DecodeVolume_PngImage_SaysItIsAnImageNotATruncatedVolume()
    {
        var png = ImageIO.EncodePng(ImageData.FromPlanar(4, 4, 1, new float[16]));

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(png, "slice.png"));

        Assert.Equal("this is a PNG image, not a volume; read it with ImageIO.Load.", ex.Problem);
    }

    [Fact]
    public void DecodeVolume_CompressedDataTooShortForDeclaredSize_ThrowsBeforeAllocating()
    {
        var file = Fixtures.Read("uint8.nii");
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(42), 512);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(44), 512);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(46), 400);

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(Gzip(file)));

        Assert.Contains("cannot hold", ex.Message);
    }

    [Fact]
    public void DecodeVolume_CorruptGzip_Throws()
    {
        byte[] file = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        var ex = Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(file));

        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void DecodeVolume_RandomHeaderCorruption_OnlyEverThrowsInvalidImage()
    {
        var original = Fixtures.Read("int16_big_endian_scaled.nii");
        var random = new Random(21);
        int[] fields = [0, 1, 2, 3, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 70, 71, 72, 73, 108, 109, 110, 111, 112, 113, 344];
        for (var trial = 0; trial < 400; trial++)
        {
            var file = (byte[])original.Clone();
            file[fields[random.Next(fields.Length)]] = (byte)random.Next(256);
            var compressed = trial % 2 == 0;
            try
            {
                var volume = ImageIO.DecodeVolume(compressed ? Gzip(file) : file);
                Assert.True(volume.Voxels.Length > 0);
            }
            catch (InvalidImageException)
            {
            }
        }
    }

    private static float Expected(string file, int v) => file switch
    {
        "uint8.nii" or "uint8_extension.nii.gz" => v * 10,
        "int16_big_endian_scaled.nii" => (((v * 100) - 1000) * 0.5f) + 10,
        "int32.nii" => (v * 100000) - 1000000,
        "float32_4d.nii.gz" => v * 0.25f,
        _ => (float)((v * 0.125 * 2) - 1),
    };

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
