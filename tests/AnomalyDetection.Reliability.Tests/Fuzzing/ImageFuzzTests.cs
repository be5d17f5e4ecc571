using System.Text;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated PGM/PPM and PNG files through <see cref="ImageIO.Decode"/>: only
/// <see cref="InvalidImageException"/> naming the file may escape, with bounded allocation per input. (The Core tests
/// add every truncation of a PNG and 1100 corruptions behind valid CRCs.)</summary>
public class ImageFuzzTests(ITestOutputHelper output)
{
    public const int PnmInputs = 2000;
    public const int PngInputs = 2000;

    private const long AllocationBound = 4L << 20;

    [Fact]
    public void Decode_MutatedPnmFiles_OnlyThrowInvalidImage()
    {
        byte[][] originals = [ImageIO.EncodePnm(Random(1, 6, 5, 1)), ImageIO.EncodePnm(Random(2, 4, 3, 3), 16), ImageIO.EncodePnm(Random(3, 5, 2, 3))];
        string[] numbers = ["0", "1", "65535", "65536", "99999999999", "-3", "8192", "4294967297", "#c\n7"];
        var run = new FuzzRun("PGM/PPM", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(808);
        for (var i = 0; i < PnmInputs; i++)
        {
            var original = originals[i % originals.Length];
            if (i % 3 == 0)
            {
                // Forge one of the three header numbers ("P5\n6 5\n255\n"): width, height or maxval.
                var headerLength = Encoding.ASCII.GetString(original, 0, 32).Split('\n')[..3].Sum(line => line.Length + 1);
                var fields = Encoding.ASCII.GetString(original, 0, headerLength).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
                var field = 1 + mutator.Random.Next(3);
                fields[field] = numbers[mutator.Random.Next(numbers.Length)];
                var forged = Encoding.ASCII.GetBytes($"{fields[0]}\n{fields[1]} {fields[2]}\n{fields[3]}\n");
                run.Feed([.. forged, .. original[headerLength..]], $"header field {field} = {fields[field]}", Decode("fuzz.pgm"));
            }
            else
            {
                run.Feed(mutator.Mutate(original), "generic", Decode("fuzz.pgm"));
            }
        }

        output.WriteLine(run.ToString());
        Assert.Equal(PnmInputs, run.Inputs);
        Assert.True(run.Rejected > PnmInputs / 3, run.ToString());
    }

    [Fact]
    public void Decode_MutatedPngFiles_OnlyThrowInvalidImage()
    {
        byte[][] originals = [ImageIO.EncodePng(Random(4, 7, 5, 1)), ImageIO.EncodePng(Random(5, 4, 4, 4), 16), ImageIO.EncodePng(Random(6, 3, 6, 3))];
        var run = new FuzzRun("PNG", AllocationBound, typeof(InvalidImageException));
        var mutator = new Mutator(909);
        for (var i = 0; i < PngInputs; i++)
        {
            var file = mutator.Mutate(originals[i % originals.Length]);
            if (i % 4 == 0 && file.Length >= 24)
            {
                // Forge IHDR width or height (bytes 16–23); the CRC then fails unless the decoder checks sizes first.
                mutator.Forge(file, 16 + (4 * mutator.Random.Next(2)), 4, bigEndian: true);
            }

            run.Feed(file, i % 4 == 0 ? "forged IHDR size" : "generic", Decode("fuzz.png"));
        }

        output.WriteLine(run.ToString());
        Assert.Equal(PngInputs, run.Inputs);
        Assert.True(run.Rejected > PngInputs / 2, run.ToString());
    }

    private static ImageData Random(int seed, int width, int height, int channels)
    {
        var random = new RandomSource(seed);
        var pixels = new float[width * height * channels];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextSingle();
        }

        return ImageData.FromPlanar(width, height, channels, pixels);
    }

    private static Action<byte[]> Decode(string name) => bytes =>
    {
        try
        {
            var image = ImageIO.Decode(bytes, name);
            Assert.True(image.Width > 0 && image.Height > 0);
        }
        catch (InvalidImageException ex)
        {
            Assert.Equal(name, ex.FilePath);
            throw;
        }
    };
}
