using System.IO.Compression;
using System.Text;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.PatchGan;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>
/// A model file whose manifest asks for a network far larger than the weights stored with it is refused before that
/// network is built.
/// </summary>
public class ForgedManifestTests(ITestOutputHelper output)
{
    // The tiny model file itself and its parsed weights, far below the forged network's gigabytes.
    private const long AllocationBound = 16L << 20;

    [Theory]
    [InlineData("reconstructorBaseWidth", 1024)] // 1024-2048-4096-8192: 2.8 GB of encoder kernels alone
    [InlineData("discriminatorBaseWidth", 512)]
    [InlineData("reconstructorDepth", 3)] // smaller than stored: refused on the weights' names and shapes, not on size
    public void Load_ManifestAskingForALargerNetwork_IsRefusedWithoutBuildingIt(string option, int value)
    {
        var file = WithOption(option, value);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidModelFileException>(() => PatchGanDetector.LoadAsync(new MemoryStream(file), "forged.adm").GetAwaiter().GetResult());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{option} = {value}: refused after allocating {allocated} bytes ({error.Problem})");

        Assert.InRange(allocated, 0, AllocationBound);
        if (option == "reconstructorDepth")
        {
            Assert.Contains("unexpected", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Matches(@"its options describe a network of at least \d+ weight elements, but the file stores \d+", error.Problem);
        }
    }

    [Theory]
    [InlineData("""{"steps":[{"kind":"convertChannels","channels":1},{"kind":"resize","width":100000,"height":100000,"method":"Bilinear"}]}""", "resize to 100000 × 100000 exceeds the limit")]
    [InlineData("""{"steps":[{"kind":"convertChannels","channels":1},{"kind":"resize","width":8192,"height":8192,"method":"Bilinear"},{"kind":"resize","width":32,"height":32,"method":"Bilinear"}]}""", null)]
    [InlineData("""{"steps":[]}""", "Preprocessing has no resize or crop step")]
    [InlineData("""{"steps":[{"kind":"convertChannels","channels":1},{"kind":"resize","width":64,"height":64,"method":"Bilinear"}]}""", "Preprocessing ends at 64 × 64, but ImageSize is 32")]
    public void Load_ForgedPreprocessing_IsRefusedAtLoadAgainstTheNetworkInput(string pipeline, string? expected)
    {
        var file = WithManifest(manifest =>
        {
            var start = manifest.IndexOf("\"preprocessing\": ", StringComparison.Ordinal);
            var end = manifest.IndexOf("\"calibration\": ", start, StringComparison.Ordinal);
            Assert.True(start > 0 && end > start, "The manifest's preprocessing precedes its calibration.");
            return manifest[..start] + "\"preprocessing\": " + pipeline + ",\n  " + manifest[end..];
        });

        var load = () => PatchGanDetector.LoadAsync(new MemoryStream(file), "forged.adm").GetAwaiter().GetResult();

        if (expected is null)
        {
            // An intermediate size within the limit that ends at the network's input is a legitimate pipeline.
            Assert.Equal(Tiny.Size, load().Preprocessing.OutputSize!.Value.Width);
            return;
        }

        var error = Assert.Throws<InvalidModelFileException>(load);
        Assert.Contains("forged.adm", error.Message);
        Assert.Contains(expected, error.Message);
    }

    /// <summary>The shared tiny Patch-GAN's model file with one option of its manifest replaced.</summary>
    private static byte[] WithOption(string option, int value) => WithManifest(manifest =>
    {
        var needle = $"\"{option}\": ";
        var start = manifest.IndexOf(needle, StringComparison.Ordinal) + needle.Length;
        Assert.True(start >= needle.Length, $"The manifest has no '{option}'.");
        var end = manifest.IndexOfAny([',', '\n'], start);
        return manifest[..start] + value + manifest[end..];
    });

    /// <summary>The shared tiny Patch-GAN's model file with its manifest text rewritten by <paramref name="forge"/>.</summary>
    internal static byte[] WithManifest(Func<string, string> forge)
    {
        using var original = new MemoryStream();
        Tiny.FittedDetector.SaveAsync(original).GetAwaiter().GetResult();
        using var zip = new ZipArchive(new MemoryStream(original.ToArray()), ZipArchiveMode.Read);
        var forged = forge(Read(zip, "manifest.json"));

        using var buffer = new MemoryStream();
        using (var forgedZip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in new[] { ("manifest.json", Encoding.UTF8.GetBytes(forged)), ("weights.safetensors", Encoding.Latin1.GetBytes(Read(zip, "weights.safetensors"))) })
            {
                using var entry = forgedZip.CreateEntry(name).Open();
                entry.Write(data);
            }
        }

        return buffer.ToArray();
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var reader = new StreamReader(stream, name.EndsWith(".json", StringComparison.Ordinal) ? Encoding.UTF8 : Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
