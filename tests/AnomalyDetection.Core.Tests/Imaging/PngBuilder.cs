using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

/// <summary>Assembles PNG files chunk by chunk, so tests can forge any header or scanline they need.</summary>
internal static class PngBuilder
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static byte[] Chunk(string type, byte[] body)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, body.Length);
        typeBytes.CopyTo(chunk, 4);
        body.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc32.Compute(chunk.AsSpan(4, 4 + body.Length)));
        return chunk;
    }

    public static byte[] Ihdr(uint width, uint height, byte bitDepth, byte colorType, byte interlace = 0, byte compression = 0, byte filter = 0)
    {
        var body = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(body, width);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(4), height);
        body[8] = bitDepth;
        body[9] = colorType;
        body[10] = compression;
        body[11] = filter;
        body[12] = interlace;
        return Chunk("IHDR", body);
    }

    public static byte[] Idat(byte[] scanlines) => Chunk("IDAT", Compress(scanlines));

    public static byte[] Iend() => Chunk("IEND", []);

    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>Splits a PNG file into (type, body) pairs, ignoring CRCs.</summary>
    public static List<(string Type, byte[] Body)> Chunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        for (var at = Signature.Length; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            chunks.Add((Encoding.ASCII.GetString(file, at + 4, 4), file.AsSpan(at + 8, length).ToArray()));
            at += 12 + length;
        }

        return chunks;
    }
}
