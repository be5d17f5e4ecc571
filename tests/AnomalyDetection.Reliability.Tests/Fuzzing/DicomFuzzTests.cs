using System.Buffers.Binary;
using AnomalyDetection.Imaging;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated DICOM Part 10 files (implicit, explicit and deflated little endian, gray and RGB, one
/// or several frames, and baseline JPEG pixel data in fragments) through both readers: only <see cref="InvalidImageException"/> naming the file may escape, and no
/// input may allocate more than a few MiB however large its rows, columns, frames or element lengths claim to be.</summary>
public class DicomFuzzTests(ITestOutputHelper output)
{
    public const int Inputs = 2400;

    // A 1 KiB input can legitimately describe about 1 MiB of inflated data set, decoded to 4 bytes per sample.
    private const long AllocationBound = 16L << 20;

    private static readonly (byte[] File, DicomBuilder Builder)[] Originals =
    [
        DicomBuilder.Image(DicomBuilder.Explicit, 6, 5),
        DicomBuilder.Image(DicomBuilder.Implicit, 4, 3, bits: 8, frames: 3, signed: true, photometric: "MONOCHROME1"),
        DicomBuilder.Image(DicomBuilder.Explicit, 3, 4, samples: 3, bits: 8),
        DicomBuilder.Image(DicomBuilder.Implicit, 5, 2, frames: 2),
        DicomBuilder.Image(DicomBuilder.Deflated, 6, 4, signed: true),
        DicomBuilder.Image(DicomBuilder.Deflated, 3, 3, samples: 3, bits: 8, frames: 2),
        DicomBuilder.EncapsulatedJpeg(JpegSamples.GrayBaseline, 16, 12, 1),
        DicomBuilder.EncapsulatedJpeg(JpegSamples.RgbProgressive, 16, 12, 3),
    ];

    [Fact]
    public void Decode_MutatedFiles_OnlyThrowInvalidImage()
    {
        var run = new FuzzRun("DICOM", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(303);
        for (var i = 0; i < Inputs; i++)
        {
            var (input, mutation) = Mutate(mutator, i);
            run.Feed(input, mutation, Decode("fuzz.dcm"));
        }

        output.WriteLine(run.ToString());
        Assert.Equal(Inputs, run.Inputs);
        Assert.True(run.Rejected > Inputs / 3, run.ToString());
        Assert.True(run.Accepted > Inputs / 20, run.ToString());
    }

    [Fact]
    public void Decode_Originals_AreAccepted()
    {
        // The fuzzer's starting points must be valid, or its mutations would test only the first check.
        foreach (var (file, _) in Originals)
        {
            Decode("original.dcm")(file);
        }
    }

    [Theory]
    [InlineData("rows", 0xFFFF, "columns", 0xFFFF)]
    [InlineData("rows", 0x2000, "columns", 0x2000)]
    [InlineData("pixelLength", -2, "rows", 0x1000)]
    [InlineData("bitsAllocated", 32, "rows", 1)]
    public void Decode_ForgedSizes_ThrowBeforeAllocating(string first, int firstValue, string second, int secondValue)
    {
        var (file, builder) = DicomBuilder.Image(DicomBuilder.Explicit, 6, 5);
        Write(file, builder, first, firstValue);
        Write(file, builder, second, secondValue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "forged.dcm"));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
        Assert.Equal("forged.dcm", error.FilePath);
        Assert.Matches("exceed the limit|truncated|Bits Allocated", error.Problem);
    }

    [Fact]
    public void Decode_DeepNesting_IsRefusedWithoutStackOverflow()
    {
        // 10,000 nested sequences of undefined length: refused at the nesting limit, not by exhausting the stack.
        var nested = new List<byte>();
        for (var i = 0; i < 10_000; i++)
        {
            nested.AddRange([0x08, 0x00, 0x40, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
            nested.AddRange([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        }

        var file = DicomBuilder.Part10(DicomBuilder.Explicit, [.. nested]);

        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "nested.dcm"));

        Assert.Contains("nested more than", error.Problem);
    }

    private static void Write(byte[] file, DicomBuilder builder, string field, int value)
    {
        var at = DicomBuilder.FileOffset(file, builder.Fields[field]);
        if (field == "pixelLength")
        {
            BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), (ushort)value);
        }
    }

    /// <summary>Every third input forges one pixel-module field (or the pixel data length) with an extreme value; the
    /// rest are generic byte mutations (which, for deflated files, mostly corrupt the deflate stream).</summary>
    private static (byte[] Input, string Mutation) Mutate(Mutator mutator, int index)
    {
        var (original, builder) = Originals[index % Originals.Length];
        var deflated = index % Originals.Length is 4 or 5;
        if (index % 3 != 0 || deflated)
        {
            return (mutator.Mutate(original), "generic");
        }

        var file = (byte[])original.Clone();
        var names = builder.Fields.Keys.ToArray();
        var name = names[mutator.Random.Next(names.Length)];
        var at = DicomBuilder.FileOffset(file, builder.Fields[name]);
        mutator.Forge(file, at, name is "pixelLength" or "fragmentLength" ? 4 : 2);
        return (file, $"forged {name}");
    }

    private static Action<byte[]> Decode(string name) => bytes =>
    {
        try
        {
            // Both readers walk the same parser; a gray file goes through each, a colour file through the 2-D one.
            try
            {
                var image = ImageIO.Decode(bytes, name);
                Assert.True(image.Pixels.ToArray().All(v => v is >= 0 and <= 1));
            }
            catch (InvalidImageException ex) when (ex.Problem.Contains("LoadVolume", StringComparison.Ordinal))
            {
            }

            try
            {
                var volume = ImageIO.DecodeVolume(bytes, name);
                Assert.True(float.IsFinite(volume.Minimum) && float.IsFinite(volume.Maximum));
            }
            catch (InvalidImageException ex) when (ex.Problem.Contains("in colour", StringComparison.Ordinal))
            {
            }
        }
        catch (InvalidImageException ex)
        {
            Assert.Equal(name, ex.FilePath);
            throw;
        }
    };
}
