using AnomalyDetection.Imaging;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated NIfTI-1 files (.nii and .nii.gz): only <see cref="InvalidImageException"/> may escape,
/// naming the file, and no input may allocate more than a few MiB however large the header says the volume is.</summary>
public class NiftiFuzzTests(ITestOutputHelper output)
{
    public const int RawInputs = 3000;
    public const int CompressedInputs = 2000;

    // A 1 KiB input can at most legitimately describe a volume of about 1 MiB (gzip expands ≤ 1032×), decoded to 4 bytes per voxel.
    private const long AllocationBound = 16L << 20;

    private static readonly byte[][] Originals =
    [
        NiftiBuilder.Volume(5, 4, 3, 2),
        NiftiBuilder.Volume(4, 3, 2, 4, bigEndian: true),
        NiftiBuilder.Volume(3, 3, 2, 16, volumes: 2),
        NiftiBuilder.Volume(2, 3, 2, 64),
    ];

    [Fact]
    public void DecodeVolume_MutatedRawFiles_OnlyThrowInvalidImage()
    {
        var run = new FuzzRun(".nii", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(101);
        for (var i = 0; i < RawInputs; i++)
        {
            var (input, mutation) = MutateRaw(mutator, i);
            run.Feed(input, mutation, Decode("fuzz.nii"));
        }

        output.WriteLine(run.ToString());
        Assert.Equal(RawInputs, run.Inputs);
        Assert.True(run.Rejected > RawInputs / 2, run.ToString());
    }

    [Fact]
    public void DecodeVolume_MutatedGzipFiles_OnlyThrowInvalidImage()
    {
        var run = new FuzzRun(".nii.gz", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(202);
        for (var i = 0; i < CompressedInputs; i++)
        {
            // Half forge the header behind a valid gzip stream; half corrupt the compressed bytes themselves.
            if (i % 2 == 0)
            {
                var (raw, mutation) = MutateRaw(mutator, i);
                run.Feed(NiftiBuilder.Gzip(raw), "gzip of " + mutation, Decode("fuzz.nii.gz"));
            }
            else
            {
                run.Feed(mutator.Mutate(NiftiBuilder.Gzip(Originals[i % Originals.Length])), "mutated gzip bytes", Decode("fuzz.nii.gz"));
            }
        }

        output.WriteLine(run.ToString());
        Assert.Equal(CompressedInputs, run.Inputs);
        Assert.True(run.Rejected > CompressedInputs / 2, run.ToString());
    }

    [Theory]
    [InlineData(32767, 32767, 32767)]
    [InlineData(32767, 32767, 1)]
    public void DecodeVolume_ForgedHugeDimensions_ThrowsBeforeAllocating(short width, short height, short depth)
    {
        var file = NiftiBuilder.Volume(2, 2, 2, 16);
        BitConverter.TryWriteBytes(file.AsSpan(NiftiBuilder.DimOffset + 2), width);
        BitConverter.TryWriteBytes(file.AsSpan(NiftiBuilder.DimOffset + 4), height);
        BitConverter.TryWriteBytes(file.AsSpan(NiftiBuilder.DimOffset + 6), depth);
        foreach (var input in new[] { file, NiftiBuilder.Gzip(file) })
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<InvalidImageException>(() => ImageIO.DecodeVolume(input, "forged.nii"));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
            Assert.Equal("forged.nii", error.FilePath);
            Assert.Matches("exceeds the limit|truncated|cannot hold", error.Problem);
        }
    }

    /// <summary>A raw-file mutation: every third input forges one header field with an extreme value, the rest are generic.</summary>
    private static (byte[] Input, string Mutation) MutateRaw(Mutator mutator, int index)
    {
        var original = Originals[index % Originals.Length];
        var bigEndian = index % Originals.Length == 1;
        if (index % 3 != 0)
        {
            return (mutator.Mutate(original), "generic");
        }

        var file = (byte[])original.Clone();
        int[] fields = [NiftiBuilder.DimOffset, NiftiBuilder.DimOffset + 2, NiftiBuilder.DimOffset + 4, NiftiBuilder.DimOffset + 6,
            NiftiBuilder.DimOffset + 8, NiftiBuilder.DataTypeOffset, NiftiBuilder.BitPixOffset];
        switch (mutator.Random.Next(3))
        {
            case 0:
                var field = fields[mutator.Random.Next(fields.Length)];
                mutator.Forge(file, field, 2, bigEndian);
                return (file, $"forged int16 at {field}");
            case 1:
                float[] offsets = [0, 347, 352.5f, 353, 1e9f, float.MaxValue, float.NaN, float.PositiveInfinity, -352, 4096];
                var offset = offsets[mutator.Random.Next(offsets.Length)];
                NiftiBuilder.WriteSingle(file, NiftiBuilder.VoxOffsetOffset, offset, bigEndian);
                return (file, $"vox_offset {offset}");
            default:
                float[] slopes = [float.NaN, float.PositiveInfinity, float.MaxValue, -float.MaxValue, 1e-45f, 0];
                var slope = slopes[mutator.Random.Next(slopes.Length)];
                NiftiBuilder.WriteSingle(file, NiftiBuilder.SlopeOffset, slope, bigEndian);
                return (mutator.Random.Next(2) == 0 ? file : mutator.Mutate(file), $"scl_slope {slope}");
        }
    }

    private static Action<byte[]> Decode(string name) => bytes =>
    {
        try
        {
            var volume = ImageIO.DecodeVolume(bytes, name);
            Assert.True(volume.Width > 0 && volume.Height > 0 && volume.Depth > 0);
            Assert.True(float.IsFinite(volume.Minimum) && float.IsFinite(volume.Maximum));
        }
        catch (InvalidImageException ex)
        {
            Assert.Equal(name, ex.FilePath);
            throw;
        }
    };
}
