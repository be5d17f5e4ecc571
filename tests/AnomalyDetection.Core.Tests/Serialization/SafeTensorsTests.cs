using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AnomalyDetection.Engine;
using AnomalyDetection.Serialization;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Core.Tests.Serialization;

public class SafeTensorsTests
{
    private static readonly string DTypesFixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "serialization", "dtypes.safetensors");

    [Fact]
    public void Load_FileWrittenFromPyTorch_ConvertsEveryDTypeToFloat32()
    {
        // Fixtures/serialization/make_dtypes_fixture.py printed each tensor's float values.
        var content = SafeTensors.Load(DTypesFixture);

        Assert.Equal(["bn.num_batches_tracked", "double", "conv.weight", "empty", "brain", "half"], content.Tensors.Keys);
        Assert.Equal([], TensorData.Shape(content.Tensors["bn.num_batches_tracked"]));
        Assert.Equal(7f, content.Tensors["bn.num_batches_tracked"].item<float>());
        Assert.Equal([(float)(1 / 3.0), (float)-1e-3], TensorData.ToArray(content.Tensors["double"]));
        Assert.Equal([2, 1, 2, 2], TensorData.Shape(content.Tensors["conv.weight"]));
        Assert.Equal([-1f, -0.75f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f], TensorData.ToArray(content.Tensors["conv.weight"]));
        Assert.Equal([0, 3], TensorData.Shape(content.Tensors["empty"]));
        Assert.Equal([1f, -0.15625f, 3.140625f, 9999220736f], TensorData.ToArray(content.Tensors["brain"]));
        Assert.Equal([0.5f, -2f, 65504f, 0.00010001659393310547f], TensorData.ToArray(content.Tensors["half"]));
        Assert.Equal("pt", content.Metadata["format"]);
        Assert.Equal("torch 1.13", content.Metadata["source"]);
    }

    [Fact]
    public void SaveThenLoad_RoundTripsNamesShapesValuesAndMetadata()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["b.weight"] = torch.rand(3, 2, 5, 5),
            ["a.scalar"] = torch.tensor(-0f),
            ["c.special"] = TensorData.FromArray([float.NaN, float.PositiveInfinity, float.Epsilon, -1e-38f], 4),
            ["d.empty"] = torch.zeros(0),
        };
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, new Dictionary<string, string> { ["epoch"] = "7", ["note"] = "ünïcode \"quoted\"" });
        Assert.Equal(0, (stream.Length - 8 - BinaryPrimitives.ReadInt64LittleEndian(stream.GetBuffer())) % 4);
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(stream.GetBuffer()) % 8);
        stream.Position = 0;

        var content = SafeTensors.Load(stream);

        Assert.Equal(tensors.Keys, content.Tensors.Keys);
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(TensorData.Shape(tensor), TensorData.Shape(content.Tensors[name]));
            Assert.Equal(
                TensorData.ToArray(tensor).Select(BitConverter.SingleToInt32Bits),
                TensorData.ToArray(content.Tensors[name]).Select(BitConverter.SingleToInt32Bits));
        }

        Assert.Equal("7", content.Metadata["epoch"]);
        Assert.Equal("ünïcode \"quoted\"", content.Metadata["note"]);
    }

    [Fact]
    public void Save_WritesTheFormatOtherReadersExpect()
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["x"] = TensorData.FromArray([1f, 2f], 2), ["y"] = TensorData.FromArray([3f], 1, 1) });
        var bytes = stream.ToArray();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var x = header.RootElement.GetProperty("x");
        Assert.Equal("F32", x.GetProperty("dtype").GetString());
        Assert.Equal([2], x.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 8], x.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([8, 12], header.RootElement.GetProperty("y").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(header.RootElement.TryGetProperty("__metadata__", out _));
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + headerLength + 8)));
    }

    [Fact]
    public async Task SaveAsyncAndLoadAsync_ThroughAFile_RoundTrip()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nn-{Guid.NewGuid():N}.safetensors");
        try
        {
            var tensors = new Dictionary<string, Tensor> { ["w"] = torch.rand(300_000) };
            await SafeTensors.SaveAsync(path, tensors, new Dictionary<string, string> { ["k"] = "v" });
            var content = await SafeTensors.LoadAsync(path);
            Assert.Equal(TensorData.ToArray(tensors["w"]), TensorData.ToArray(content.Tensors["w"]));
            Assert.Equal("v", content.Metadata["k"]);
            Assert.Equal(TensorData.ToArray(content.Tensors["w"]), TensorData.ToArray(SafeTensors.Load(path).Tensors["w"]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_ToPath_ReplacesAtomicallyAndLeavesNoTemporaryFile()
    {
        var folder = Directory.CreateTempSubdirectory("nn-atomic-").FullName;
        try
        {
            var path = Path.Combine(folder, "model.safetensors");
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = torch.ones(2) });
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["b"] = torch.zeros(3) });
            Assert.Equal(["model.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Equal(["b"], SafeTensors.Load(path).Tensors.Keys);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SaveAsync_ToPathCancelled_LeavesTheOldFileAndNoTemporaryFile()
    {
        var folder = Directory.CreateTempSubdirectory("nn-atomic-").FullName;
        try
        {
            var path = Path.Combine(folder, "model.safetensors");
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["old"] = torch.ones(2) });
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                SafeTensors.SaveAsync(path, new Dictionary<string, Tensor> { ["new"] = torch.zeros(3) }, cancellationToken: cancelled.Token));
            Assert.Equal(["model.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Equal(["old"], SafeTensors.Load(path).Tensors.Keys);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_NonSeekableStream_Works()
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = TensorData.FromArray([1f, 2f, 3f], 3) });
        using var forwardOnly = new ForwardOnlyStream(stream.ToArray());
        Assert.Equal([1f, 2f, 3f], TensorData.ToArray(SafeTensors.Load(forwardOnly).Tensors["w"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("__metadata__")]
    public void Save_ReservedOrEmptyName_Throws(string name)
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(stream, new Dictionary<string, Tensor> { [name] = torch.ones(1) }));
    }

    /// <summary>A read-only stream that cannot seek or report its length, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
