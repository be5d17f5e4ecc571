using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using AnomalyDetection.Engine;
using AnomalyDetection.Serialization;
using Tensor = TorchSharp.torch.Tensor;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Thousands of mutated safetensors files: only <see cref="InvalidDataException"/> may escape, and no forged
/// header length, shape or offset may make the reader allocate more than the file could justify.</summary>
public partial class SafeTensorsFuzzTests(ITestOutputHelper output)
{
    public const int ByteInputs = 2000;
    public const int HeaderInputs = 2000;

    private const long AllocationBound = 4L << 20;

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "\"F32\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"U8\"", "null", "true",
        "-1", "0", "1e400", "4294967296", "9223372036854775807", "18446744073709551616", "2147483647", "[]", "{}", "\"__metadata__\"", "\"data_offsets\"",
        "\"shape\"", "\"dtype\"", "\\u0000", "\u00ff", "1.5"];

    private static readonly byte[] Original = Save(new Dictionary<string, Tensor>
    {
        ["conv.weight"] = TensorData.FromArray([1, 2, 3, 4, 5, 6], 2, 3),
        ["conv.bias"] = TensorData.FromArray([0.5f, -0.5f], 2),
        ["scale"] = TensorData.FromArray([3f], 1),
    });

    [Fact]
    public void Load_MutatedBytes_OnlyThrowInvalidData()
    {
        var run = new FuzzRun("safetensors bytes", AllocationBound, typeof(InvalidDataException));
        var mutator = new Mutator(303);
        for (var i = 0; i < ByteInputs; i++)
        {
            var input = mutator.Mutate(Original);
            if (i % 4 == 0 && input.Length >= 8)
            {
                mutator.Forge(input, 0, 8);
            }

            run.Feed(input, i % 4 == 0 ? "forged length prefix" : "generic", Load);
        }

        output.WriteLine(run.ToString());
        Assert.Equal(ByteInputs, run.Inputs);
        Assert.True(run.Rejected > ByteInputs / 2, run.ToString());
    }

    [Fact]
    public void Load_MutatedHeadersBehindAValidPrefix_OnlyThrowInvalidData()
    {
        var run = new FuzzRun("safetensors header", AllocationBound, typeof(InvalidDataException));
        var random = new Random(404);
        var (header, data) = Split(Original);
        for (var i = 0; i < HeaderInputs; i++)
        {
            var (json, mutation) = MutateJson(random, header);
            var tail = random.Next(4) == 0 ? data[..random.Next(data.Length)] : data;
            run.Feed(Join(json, tail), mutation, Load);
        }

        output.WriteLine(run.ToString());
        Assert.Equal(HeaderInputs, run.Inputs);
        Assert.True(run.Accepted > 0, "some mutations (of numbers that still fit) should load: " + run);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F64\",\"shape\":[268435456],\"data_offsets\":[0,2147483648]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775807,9223372036854775807]}}")]
    public void Load_ForgedHugeTensor_ThrowsBeforeAllocating(string header)
    {
        var file = Join(header, new byte[4]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
    }

    [Fact]
    public void Load_InvalidUtf8InAMetadataString_ThrowsInvalidData()
    {
        // Found by the fuzzer: the JSON reader only checks UTF-8 when the string is read, with InvalidOperationException.
        var file = Join("{\"__metadata__\":{\"k\":\"\u00ff\"}}", []);
        var value = Array.IndexOf(file, (byte)0xC3);
        file[value] = 0xF2;
        file[value + 1] = 0x9B;

        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file)));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    private static void Load(byte[] bytes)
    {
        var content = SafeTensors.Load(new MemoryStream(bytes, writable: false));
        Assert.All(content.Tensors.Values, t => Assert.Equal(TorchSharp.torch.ScalarType.Float32, t.dtype));
    }

    /// <summary>Replaces a number with an extreme one, a token with another, or splices in random JSON tokens.</summary>
    private static (string Json, string Mutation) MutateJson(Random random, string header)
    {
        var numbers = Number().Matches(header);
        switch (random.Next(4))
        {
            case 0:
            {
                var target = numbers[random.Next(numbers.Count)];
                string[] replacements = ["0", "1", "3", "24", "-4", "2147483647", "2147483648", "4294967296", "9223372036854775807", "1e3", "0.5", "-0"];
                var replacement = replacements[random.Next(replacements.Length)];
                return (header[..target.Index] + replacement + header[(target.Index + target.Length)..], $"number {target.Value} -> {replacement}");
            }

            case 1:
            {
                var at = random.Next(header.Length + 1);
                var token = Tokens[random.Next(Tokens.Length)];
                return (header[..at] + token + header[at..], $"inserted {token} at {at}");
            }

            case 2:
            {
                var at = random.Next(header.Length);
                var length = Math.Min(header.Length - at, random.Next(1, 12));
                return (header[..at] + header[(at + length)..], $"deleted {length} chars at {at}");
            }

            default:
            {
                var builder = new StringBuilder();
                for (var i = random.Next(1, 30); i > 0; i--)
                {
                    builder.Append(Tokens[random.Next(Tokens.Length)]);
                }

                return (builder.ToString(), "garbage JSON");
            }
        }
    }

    private static byte[] Save(Dictionary<string, Tensor> tensors)
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        return stream.ToArray();
    }

    private static (string Header, byte[] Data) Split(byte[] file)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    private static byte[] Join(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    [GeneratedRegex("-?[0-9]+")]
    private static partial Regex Number();
}
