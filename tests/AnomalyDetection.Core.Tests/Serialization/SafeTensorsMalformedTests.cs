using System.Buffers.Binary;
using System.Text;
using AnomalyDetection.Engine;
using AnomalyDetection.Serialization;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Core.Tests.Serialization;

public class SafeTensorsMalformedTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Load_FewerThanEightBytes_ReportsTruncation(int length)
    {
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(new byte[length])));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryTruncationOfAValidFile_IsRejected()
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = torch.ones(3), ["b"] = torch.zeros(2, 2) });
        var bytes = stream.ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(bytes, 0, length)));
        }
    }

    [Fact]
    public void Load_HeaderLengthPastTheEnd_ReportsBothSizes()
    {
        var ex = Load(File("{}", [], declaredHeaderLength: 1000));
        Assert.Contains("claims 1000 bytes but only 2 bytes follow", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void Load_AbsurdHeaderLength_IsRejectedBeforeAllocating(ulong declared)
    {
        var ex = Load(File("{}", [], declaredHeaderLength: declared));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HeaderLengthBelowAnObject_IsRejected() =>
        Assert.Contains("too few", Load(File("{}", [], declaredHeaderLength: 1)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"a\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"a\": 5}", "must be an object")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", "needs 'dtype', 'shape' and 'data_offsets'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"extra\": 1}}", "'extra'")]
    [InlineData("{\"a\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", "'dtype'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "'shape' holds -1")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "'shape' holds 1.5")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", "'shape' must be an array")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 2, 4]}}", "exactly two numbers")]
    [InlineData("{\"a\": {\"dtype\": \"F8_XYZ\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "unknown or unsupported dtype 'F8_XYZ'")]
    [InlineData("{\"a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 4]}}", "unknown or unsupported dtype 'U8'")]
    [InlineData("{\"a\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "dtype 'f32'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 4]}}", "shape [3] of F32 needs 12 bytes but its data offsets [0, 4) span 4")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [65536, 65536], \"data_offsets\": [0, 4]}}", "more elements than one array")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "[0, 8) lie outside the 4-byte data section")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 0]}}", "[4, 0) lie outside")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 4]}}", "names 'a' twice")]
    [InlineData("{\"__metadata__\": {\"epoch\": 3}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "metadata value 'epoch' must be a string")]
    [InlineData("{\"__metadata__\": [], \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "must be an object of strings")]
    public void Load_MalformedHeader_IsRejectedWithAClearMessage(string header, string expected)
    {
        var ex = Load(File(header, new byte[4]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OverlappingOffsets_NamesBothTensors()
    {
        var ex = Load(File(
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}",
            new byte[12]));
        Assert.Contains("'a' [0, 8) and 'b' [4, 12) overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GapBetweenTensors_IsRejected()
    {
        var ex = Load(File(
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}",
            new byte[12]));
        Assert.Contains("gap at bytes [4, 8) before tensor 'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BytesNoTensorCovers_AreRejected()
    {
        var ex = Load(File("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[10]));
        Assert.Contains("has 10 bytes but the tensors cover only the first 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MalformedFile_IsRejectedToo()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => SafeTensors.LoadAsync(new MemoryStream(File("{\"a\": 1}", []))));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HeaderPaddedWithSpacesAndUnsortedEntries_IsAccepted()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 2.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 3.5f);
        var content = SafeTensors.Load(new MemoryStream(File(
            "{\"z\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}      ",
            data)));
        Assert.Equal(["z", "a"], content.Tensors.Keys);
        Assert.Equal([2.5f, 3.5f], TensorData.ToArray(content.Tensors["a"]));
    }

    private static InvalidDataException Load(byte[] file) => Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file)));

    private static byte[] File(string header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredHeaderLength ?? (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }
}
