using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Serialization;

/// <summary>
/// Reads and writes the safetensors format, the weight format PyTorch users exchange: an 8-byte little-endian header
/// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// </summary>
/// <remarks>
/// Writing produces float32 (F32) tensors. Reading accepts F32, F16, BF16, F64, I64 and I32 and converts them to
/// float32. Files are untrusted input: a malformed file (truncated, header past the end, overlapping, out-of-range or
/// missized offsets, unknown dtype, absurd header) raises <see cref="InvalidDataException"/> naming the problem, and
/// no buffer is sized from the file before the size has been checked against the bytes really present.
/// </remarks>
public static class SafeTensors
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/> in the given order.</summary>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="tensors">The tensors by name; a module's <c>StateDict()</c>, for example.</param>
    /// <param name="metadata">Optional string pairs stored in the header's <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A name is empty or is <c>__metadata__</c>.</exception>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var header = SafeTensorsHeader.Build(tensors, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var tensor in tensors.Values)
            {
                var values = TensorData.ToArray(tensor);
                for (var start = 0; start < values.Length; start += ChunkBytes / 4)
                {
                    var bytes = Encode(values, start, chunk);
                    stream.Write(chunk, 0, bytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        stream.Flush();
    }

    /// <inheritdoc cref="Save(Stream, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="tensors">The tensors by name; a module's <c>StateDict()</c>, for example.</param>
    /// <param name="metadata">Optional string pairs stored in the header's <c>__metadata__</c>.</param>
    /// <param name="cancellationToken">Cancels the write between chunks.</param>
    public static async Task SaveAsync(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var header = SafeTensorsHeader.Build(tensors, metadata);
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var tensor in tensors.Values)
            {
                var values = TensorData.ToArray(tensor);
                for (var start = 0; start < values.Length; start += ChunkBytes / 4)
                {
                    var bytes = Encode(values, start, chunk);
                    await stream.WriteAsync(chunk.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a file atomically: to a temporary file in the same folder, flushed to disk, then renamed over
    /// <paramref name="path"/>, so that a crash never leaves a half-written file under that name.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        AtomicFile.Write(path, stream => Save(stream, tensors, metadata));
    }

    /// <inheritdoc cref="Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    /// <param name="cancellationToken">Cancels the write; the target file is then left as it was.</param>
    public static Task SaveAsync(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return AtomicFile.WriteAsync(path, stream => SaveAsync(stream, tensors, metadata, cancellationToken), cancellationToken);
    }

    /// <summary>Reads a safetensors file from the current position of <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">A readable stream, left open; one that cannot seek is first read into memory.</param>
    /// <returns>The tensors, converted to float32, and the metadata.</returns>
    /// <exception cref="InvalidDataException">The data is not a well-formed safetensors file.</exception>
    public static SafeTensorsContent Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return Load(copy);
        }

        var available = stream.Length - stream.Position;
        var prefix = new byte[8];
        ReadExactly(stream, prefix, available);
        var headerLength = SafeTensorsHeader.CheckLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), available - 8);
        var header = new byte[headerLength];
        ReadExactly(stream, header, available);
        var (entries, metadata) = SafeTensorsHeader.Parse(header, available - 8 - headerLength);
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var entry in entries)
            {
                var data = GC.AllocateUninitializedArray<float>(ElementCount(entry));
                var size = SafeTensorsDTypes.Size(entry.DType);
                for (var start = 0; start < data.Length; start += ChunkBytes / size)
                {
                    var count = Math.Min(ChunkBytes / size, data.Length - start);
                    ReadExactly(stream, chunk.AsSpan(0, count * size), available);
                    SafeTensorsDTypes.Decode(entry.DType, chunk.AsSpan(0, count * size), data.AsSpan(start, count));
                }

                tensors.Add(entry.Name, torch.tensor(data, Array.ConvertAll(entry.Shape, d => (long)d)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new SafeTensorsContent(tensors, metadata);
    }

    /// <inheritdoc cref="Load(Stream)"/>
    /// <param name="stream">A readable stream, left open; one that cannot seek is first read into memory.</param>
    /// <param name="cancellationToken">Cancels the read between chunks.</param>
    public static async Task<SafeTensorsContent> LoadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return Load(copy);
        }

        var available = stream.Length - stream.Position;
        var prefix = new byte[8];
        await ReadExactlyAsync(stream, prefix, available, cancellationToken).ConfigureAwait(false);
        var headerLength = SafeTensorsHeader.CheckLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), available - 8);
        var header = new byte[headerLength];
        await ReadExactlyAsync(stream, header, available, cancellationToken).ConfigureAwait(false);
        var (entries, metadata) = SafeTensorsHeader.Parse(header, available - 8 - headerLength);
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var entry in entries)
            {
                var data = GC.AllocateUninitializedArray<float>(ElementCount(entry));
                var size = SafeTensorsDTypes.Size(entry.DType);
                for (var start = 0; start < data.Length; start += ChunkBytes / size)
                {
                    var count = Math.Min(ChunkBytes / size, data.Length - start);
                    await ReadExactlyAsync(stream, chunk.AsMemory(0, count * size), available, cancellationToken).ConfigureAwait(false);
                    SafeTensorsDTypes.Decode(entry.DType, chunk.AsSpan(0, count * size), data.AsSpan(start, count));
                }

                tensors.Add(entry.Name, torch.tensor(data, Array.ConvertAll(entry.Shape, d => (long)d)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new SafeTensorsContent(tensors, metadata);
    }

    /// <summary>Reads a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors, converted to float32, and the metadata.</returns>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file.</exception>
    public static SafeTensorsContent Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Load(stream);
    }

    /// <inheritdoc cref="Load(string)"/>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read between chunks.</param>
    public static async Task<SafeTensorsContent> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int ElementCount(SafeTensorsEntry entry) => (int)((entry.End - entry.Begin) / SafeTensorsDTypes.Size(entry.DType));

    /// <summary>Encodes up to one chunk of <paramref name="values"/> from element <paramref name="start"/>; returns the byte count.</summary>
    private static int Encode(float[] values, int start, byte[] chunk)
    {
        var count = Math.Min(ChunkBytes / 4, values.Length - start);
        SafeTensorsDTypes.EncodeF32(values.AsSpan(start, count), chunk);
        return count * 4;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, long fileBytes)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw Truncated(fileBytes, ex);
        }
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, long fileBytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw Truncated(fileBytes, ex);
        }
    }

    private static InvalidDataException Truncated(long fileBytes, EndOfStreamException inner) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The safetensors data ends early ({fileBytes} bytes in all): the file is truncated."), inner);
}
