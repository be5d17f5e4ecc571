using Tensor = TorchSharp.torch.Tensor;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace AnomalyDetection.Serialization;

/// <summary>
/// Reads and writes the JSON header of a safetensors file. Reading treats the header as untrusted: every size and
/// offset is checked against the bytes actually present before anything is allocated from it.
/// </summary>
/// <remarks>Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON (an object mapping each
/// tensor name to its dtype, shape and [begin, end) byte offsets, plus an optional <c>__metadata__</c> object of
/// strings), then the data section, which the tensors must cover exactly, without gaps or overlaps.</remarks>
internal static class SafeTensorsHeader
{
    /// <summary>The largest header accepted, as in the reference implementation: far beyond any real model's.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>Checks the declared header length against the limit and the bytes that follow it.</summary>
    /// <param name="declared">The header length read from the first eight bytes.</param>
    /// <param name="available">The bytes after the eight-byte prefix.</param>
    public static int CheckLength(ulong declared, long available)
    {
        if (declared > MaxHeaderBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The safetensors header claims {declared} bytes, more than the {MaxHeaderBytes}-byte limit: the file is corrupt or not a safetensors file."));
        }

        if ((long)declared > available)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The safetensors header claims {declared} bytes but only {available} bytes follow the length prefix: the file is truncated or corrupt."));
        }

        if (declared < 2)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The safetensors header claims {declared} bytes, too few for a JSON object."));
        }

        return (int)declared;
    }

    /// <summary>Parses and validates a header for a data section of <paramref name="dataLength"/> bytes.</summary>
    /// <returns>The entries sorted by offset, and the metadata.</returns>
    public static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(byte[] header, long dataLength)
    {
        // The JSON reader checks UTF-8 only when a string is read, and then throws InvalidOperationException.
        if (!Utf8.IsValid(header))
        {
            throw new InvalidDataException("The safetensors header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The safetensors header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The safetensors header must be a JSON object, but it is {document.RootElement.ValueKind}.");
            }

            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new InvalidDataException($"The safetensors header names '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength));
                }
            }

            CheckCoverage(entries, dataLength);
            return (entries, metadata);
        }
    }

    /// <summary>Builds a header for float32 tensors laid out in the given order, padded with spaces so that the data
    /// section starts on an 8-byte boundary.</summary>
    public static byte[] Build(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey)
                {
                    throw new ArgumentException($"'{name}' cannot name a tensor in a safetensors file.", nameof(tensors));
                }

                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                json.WriteStartObject(name);
                json.WriteString("dtype", nameof(SafeTensorsDType.F32));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += 4L * tensor.numel();
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"The safetensors '{MetadataKey}' entry must be an object of strings, but it is {element.ValueKind}.");
        }

        foreach (var pair in element.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"The safetensors metadata value '{pair.Name}' must be a string, but it is {pair.Value.ValueKind}.");
            }

            if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                throw new InvalidDataException($"The safetensors metadata names '{pair.Name}' twice.");
            }
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement element, long dataLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Tensor '{name}': its header entry must be an object, but it is {element.ValueKind}.");
        }

        string? dtypeName = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null && field.Value.ValueKind == JsonValueKind.String:
                    dtypeName = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = [.. ReadIntegers(name, "shape", field.Value, int.MaxValue).Select(static v => (int)v)];
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(name, "data_offsets", field.Value, long.MaxValue);
                    break;
                default:
                    throw new InvalidDataException($"Tensor '{name}': unexpected, repeated or mistyped header field '{field.Name}'.");
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
        {
            throw new InvalidDataException($"Tensor '{name}': the header entry needs 'dtype', 'shape' and 'data_offsets'.");
        }

        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw new InvalidDataException($"Tensor '{name}': unknown or unsupported dtype '{dtypeName}'; this reader supports {SafeTensorsDTypes.Supported}.");
        }

        if (offsets.Length != 2)
        {
            throw new InvalidDataException($"Tensor '{name}': 'data_offsets' must hold exactly two numbers [begin, end], but it holds {offsets.Length}.");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor '{name}': data offsets [{begin}, {end}) lie outside the {dataLength}-byte data section."));
        }

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
            {
                throw new InvalidDataException($"Tensor '{name}': shape {("[" + string.Join(", ", shape) + "]")} has more elements than one array can hold.");
            }
        }

        var size = SafeTensorsDTypes.Size(dtype);
        if (count * size != end - begin)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor '{name}': shape {("[" + string.Join(", ", shape) + "]")} of {dtypeName} needs {count * size} bytes but its data offsets [{begin}, {end}) span {end - begin}."));
        }

        return new SafeTensorsEntry(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(string name, string field, JsonElement element, long max)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Tensor '{name}': '{field}' must be an array of integers, but it is {element.ValueKind}.");
        }

        var values = new long[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0 || value > max)
            {
                throw new InvalidDataException($"Tensor '{name}': '{field}' holds {item.GetRawText()}, which is not an integer in [0, {max}].");
            }

            values[i++] = value;
        }

        return values;
    }

    /// <summary>Sorts the entries by offset and checks that they tile the data section exactly.</summary>
    private static void CheckCoverage(List<SafeTensorsEntry> entries, long dataLength)
    {
        entries.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < expected)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Tensors '{previous!.Name}' [{previous.Begin}, {previous.End}) and '{entry.Name}' [{entry.Begin}, {entry.End}) overlap."));
            }

            if (entry.Begin > expected)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The data section has a gap at bytes [{expected}, {entry.Begin}) before tensor '{entry.Name}'."));
            }

            expected = entry.End;
            previous = entry;
        }

        if (expected != dataLength)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The data section has {dataLength} bytes but the tensors cover only the first {expected}."));
        }
    }
}
