using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.PatchGan;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated model files, loaded all the way into a detector: only
/// <see cref="InvalidModelFileException"/> may escape, and a loaded model must predict.</summary>
public partial class ModelFileFuzzTests(ITestOutputHelper output)
{
    public const int ZipInputs = 1000;
    public const int ManifestInputs = 1500;
    public const int WeightsInputs = 500;

    // The loader refuses options that need more weights than the file stores before it builds their network, so a
    // forged manifest builds at most about 2.6 times the stored weights (ForgedManifestTests).
    private const long AllocationBound = 64L << 20;

    private static readonly Lazy<byte[]> Original = new(() =>
    {
        using var stream = new MemoryStream();
        Tiny.FittedDetector.SaveAsync(stream).GetAwaiter().GetResult();
        return stream.ToArray();
    });

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "-1", "0", "1e400", "\"x\"",
        "2147483648", "9223372036854775808", "[]", "{}", "\"kind\"", "\"steps\"", "\"options\"", "\"calibration\"", "1.5", "\"NaN\""];

    [Fact]
    public void Load_MutatedZipBytes_OnlyThrowInvalidModelFile()
    {
        var run = new FuzzRun("model file bytes", AllocationBound, typeof(InvalidModelFileException));
        var mutator = new Mutator(505);
        for (var i = 0; i < ZipInputs; i++)
        {
            run.Feed(mutator.Mutate(Original.Value), "generic", Load);
        }

        Report(run, ZipInputs);
    }

    [Fact]
    public void Load_MutatedManifests_OnlyThrowInvalidModelFile()
    {
        var run = new FuzzRun("model file manifest", AllocationBound, typeof(InvalidModelFileException));
        var random = new Random(606);
        var (manifest, weights) = Unzip(Original.Value);
        var text = Encoding.UTF8.GetString(manifest);
        var numbers = Number().Matches(text);
        for (var i = 0; i < ManifestInputs; i++)
        {
            string mutated, mutation;
            switch (random.Next(3))
            {
                case 0:
                    var target = numbers[random.Next(numbers.Count)];
                    string[] replacements = ["0", "1", "2", "3", "5", "16", "33", "-1", "1e9", "2147483648", "0.5", "NaN"];
                    var replacement = replacements[random.Next(replacements.Length)];
                    (mutated, mutation) = (text[..target.Index] + replacement + text[(target.Index + target.Length)..], $"number {target.Value} -> {replacement}");
                    break;
                case 1:
                    var at = random.Next(text.Length + 1);
                    var token = Tokens[random.Next(Tokens.Length)];
                    (mutated, mutation) = (text[..at] + token + text[at..], $"inserted {token} at {at}");
                    break;
                default:
                    var start = random.Next(text.Length);
                    var length = Math.Min(text.Length - start, random.Next(1, 40));
                    (mutated, mutation) = (text[..start] + text[(start + length)..], $"deleted {length} chars at {start}");
                    break;
            }

            run.Feed(Zip(Encoding.UTF8.GetBytes(mutated), weights), mutation, Load);
        }

        Report(run, ManifestInputs);
    }

    [Fact]
    public void Load_MutatedWeights_OnlyThrowInvalidModelFile()
    {
        var run = new FuzzRun("model file weights", AllocationBound, typeof(InvalidModelFileException));
        var mutator = new Mutator(707);
        var (manifest, weights) = Unzip(Original.Value);
        for (var i = 0; i < WeightsInputs; i++)
        {
            run.Feed(Zip(manifest, mutator.Mutate(weights)), "mutated weights", Load);
        }

        Report(run, WeightsInputs);
    }

    private void Report(FuzzRun run, int expected)
    {
        output.WriteLine(run.ToString());
        Assert.Equal(expected, run.Inputs);
        Assert.True(run.Rejected > 0, run.ToString());
    }

    private static void Load(byte[] bytes)
    {
        var detector = PatchGanDetector.LoadAsync(new MemoryStream(bytes, writable: false), "fuzz.adm").GetAwaiter().GetResult();
        Assert.True(detector.IsFitted);
    }

    private static (byte[] Manifest, byte[] Weights) Unzip(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        return (Read(zip, "manifest.json"), Read(zip, "weights.safetensors"));

        static byte[] Read(ZipArchive zip, string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private static byte[] Zip(byte[] manifest, byte[] weights)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in new[] { ("manifest.json", manifest), ("weights.safetensors", weights) })
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(data);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("-?[0-9]+")]
    private static partial Regex Number();
}
