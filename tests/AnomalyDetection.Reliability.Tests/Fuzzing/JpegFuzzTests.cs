using System.Buffers.Binary;
using AnomalyDetection.Imaging;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated JPEG files (baseline gray, progressive colour, 4:2:0 colour) through
/// <see cref="ImageIO.Decode"/>: only <see cref="InvalidImageException"/> naming the file may escape, and forged frame
/// sizes are refused before the native decoder allocates.</summary>
public class JpegFuzzTests(ITestOutputHelper output)
{
    public const int Inputs = 2400;

    // A 1 KiB JPEG may declare up to 1024 pixels per byte: about 1 M pixels, 3 bytes each decoded, 12 bytes as floats.
    private const long AllocationBound = 24L << 20;

    private static readonly byte[][] Originals = [JpegSamples.GrayBaseline, JpegSamples.RgbProgressive, JpegSamples.RgbBaseline420];

    [Fact]
    public void Decode_MutatedFiles_OnlyThrowInvalidImage()
    {
        var run = new FuzzRun("JPEG", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(404);
        for (var i = 0; i < Inputs; i++)
        {
            var original = Originals[i % Originals.Length];
            if (i % 4 == 0)
            {
                // Forge the frame header's height or width (big-endian 16-bit) with an extreme value.
                var file = (byte[])original.Clone();
                var at = FrameHeader(file) + 5 + (2 * mutator.Random.Next(2));
                mutator.Forge(file, at, 2, bigEndian: true);
                run.Feed(file, "forged frame size", Decode("fuzz.jpg"));
            }
            else
            {
                run.Feed(mutator.Mutate(original), "generic", Decode("fuzz.jpg"));
            }
        }

        output.WriteLine(run.ToString());
        Assert.Equal(Inputs, run.Inputs);
        Assert.True(run.Rejected > Inputs / 4, run.ToString());
    }

    [Theory]
    [InlineData(0xFFFF, 0xFFFF, "exceeds the limit")]
    [InlineData(0x2000, 0x1000, "cannot hold")]
    [InlineData(0, 12, "at least 1")]
    public void Decode_ForgedFrameSize_ThrowsBeforeDecoding(int width, int height, string problem)
    {
        var file = (byte[])JpegSamples.GrayBaseline.Clone();
        var at = FrameHeader(file);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at + 7), (ushort)width);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidImageException>(() => ImageIO.Decode(file, "forged.jpg"));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains(problem, error.Problem);
    }

    /// <summary>The offset of the SOF marker (0xFF 0xC0 or 0xC2) in one of the sample files.</summary>
    private static int FrameHeader(byte[] file)
    {
        for (var i = 2; i < file.Length - 1; i++)
        {
            if (file[i] == 0xFF && file[i + 1] is 0xC0 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }

    private static Action<byte[]> Decode(string name) => bytes =>
    {
        try
        {
            var image = ImageIO.Decode(bytes, name);
            Assert.True(image.Channels is 1 or 3);
        }
        catch (InvalidImageException ex)
        {
            Assert.Equal(name, ex.FilePath);
            throw;
        }
    };
}
