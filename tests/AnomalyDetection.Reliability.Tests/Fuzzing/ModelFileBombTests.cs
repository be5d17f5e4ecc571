using System.Buffers.Binary;
using System.IO.Compression;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.PatchGan;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>
/// Zip bombs in place of a model file's entries: a well-formed start followed by filler up to 256 MiB, deflated to
/// about 256 KiB (≈ 1 000×), declared honestly in the zip headers or hidden behind a forged small size. Each is refused
/// with <see cref="InvalidModelFileException"/> without allocating anything near its expanded size.
/// </summary>
public class ModelFileBombTests(ITestOutputHelper output)
{
    private const int BombBytes = 256 << 20;

    // Far below the bomb's expanded size: the compressed file itself, plus the bounded part of an entry that is read.
    private const long AllocationBound = 16L << 20;

    private static readonly Lazy<(byte[] Manifest, byte[] Weights)> Original = new(() =>
    {
        using var stream = new MemoryStream();
        Tiny.FittedDetector.SaveAsync(stream).GetAwaiter().GetResult();
        using var zip = new ZipArchive(new MemoryStream(stream.ToArray()), ZipArchiveMode.Read);
        return (Read(zip, "manifest.json"), Read(zip, "weights.safetensors"));
    });

    [Theory]
    [InlineData("weights.safetensors")]
    [InlineData("manifest.json")]
    public void Load_EntryDeclaringItsBombSize_IsRefusedBeforeDecompressing(string bombEntry)
    {
        var file = ZipWithBomb(bombEntry);

        var (error, allocated) = Load(file);

        Assert.Contains($"'{bombEntry}' entry declares {BombBytes} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{ModelFile.MinEntryLimitBytes}-byte limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bomb.adm'", error.Message, StringComparison.Ordinal);
        Assert.InRange(file.Length, 1, BombBytes / 500);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Theory]
    [InlineData("weights.safetensors", 1 << 20)]
    [InlineData("manifest.json", 4096)]
    public void Load_BombBehindAForgedSmallSize_IsCutOffAtTheDeclaredSize(string bombEntry, int declared)
    {
        var file = ZipWithBomb(bombEntry);
        ForgeUncompressedSize(file, bombEntry, declared);

        var (error, allocated) = Load(file);

        // The entry reads as its first `declared` bytes: a JSON object left open, or tensor data cut short.
        Assert.Contains("damaged or not a model file", error.Message, StringComparison.Ordinal);
        Assert.Contains(bombEntry == "manifest.json" ? $"BytePositionInLine: {declared}" : $"{declared - 8 - 96}-byte data section", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public async Task Load_OriginalEntriesRezipped_Loads()
    {
        var file = Zip(OriginalManifest, OriginalWeights);

        var detector = await PatchGanDetector.LoadAsync(new MemoryStream(file), "bomb.adm");

        Assert.True(detector.IsFitted);
    }

    /// <summary>Loads on this thread (in-memory streams complete synchronously) and measures what it allocated.</summary>
    private (InvalidModelFileException Error, long Allocated) Load(byte[] file)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidModelFileException>(() => PatchGanDetector.LoadAsync(new MemoryStream(file), "bomb.adm").GetAwaiter().GetResult());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{file.Length} bytes expanding to {BombBytes}: refused after allocating {allocated} bytes ({error.Problem})");
        return (error, allocated);
    }

    /// <summary>The original model file with one entry replaced by <see cref="BombBytes"/> zero bytes.</summary>
    private static byte[] ZipWithBomb(string bombEntry)
    {
        return bombEntry == "manifest.json"
            ? Zip(s => Bomb(s, "{"u8, (byte)' '), OriginalWeights)
            : Zip(OriginalManifest, s => Bomb(s, SafeTensorsPrefix(), 0));

        // A well-formed start, so that a reader reads on, then filler (JSON white space, tensor data) up to the bomb's size.
        static void Bomb(Stream s, ReadOnlySpan<byte> start, byte filler)
        {
            s.Write(start);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, filler);
            for (long left = BombBytes - start.Length; left > 0; left -= chunk.Length)
            {
                s.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }
    }

    /// <summary>A safetensors header describing one float32 tensor that fills the rest of the bomb.</summary>
    private static byte[] SafeTensorsPrefix()
    {
        const int HeaderBytes = 96;
        var elements = (BombBytes - 8 - HeaderBytes) / 4;
        var json = $"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[{elements}],\"data_offsets\":[0,{elements * 4}]}}}}".PadRight(HeaderBytes);
        var prefix = new byte[8 + HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, HeaderBytes);
        System.Text.Encoding.ASCII.GetBytes(json, prefix.AsSpan(8));
        return prefix;
    }

    private static void OriginalManifest(Stream s) => s.Write(Original.Value.Manifest);

    private static void OriginalWeights(Stream s) => s.Write(Original.Value.Weights);

    private static byte[] Zip(Action<Stream> writeManifest, Action<Stream> writeWeights)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, write) in new[] { ("manifest.json", writeManifest), ("weights.safetensors", writeWeights) })
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                write(entry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Rewrites the uncompressed size of <paramref name="entryName"/> in its local header and its central
    /// directory record, as a forger hiding a bomb would.</summary>
    private static void ForgeUncompressedSize(byte[] file, string entryName, int size)
    {
        var forged = 0;
        for (var i = 0; i + 46 < file.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i));
            var (sizeOffset, nameOffset) = signature switch
            {
                0x04034b50 => (22, 30), // local file header
                0x02014b50 => (24, 46), // central directory record
                _ => (-1, -1),
            };
            if (sizeOffset < 0)
            {
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(i + (signature == 0x04034b50 ? 26 : 28)));
            if (i + nameOffset + nameLength <= file.Length && System.Text.Encoding.ASCII.GetString(file, i + nameOffset, nameLength) == entryName)
            {
                BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(i + sizeOffset), size);
                forged++;
            }
        }

        Assert.Equal(2, forged);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
