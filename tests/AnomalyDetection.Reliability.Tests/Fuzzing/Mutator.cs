using System.Buffers.Binary;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Seeded byte-level mutations of a valid file: bit flips, random bytes, truncation, insertion, deletion and
/// "interesting" integers (0, -1, extremes, powers of two) written over 2-, 4- and 8-byte fields.</summary>
public sealed class Mutator(int seed)
{
    private static readonly long[] Interesting = [0, 1, -1, 2, 7, 255, 256, 348, 352, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue,
        uint.MaxValue, 1L << 32, 1L << 40, long.MaxValue, long.MinValue, 100_000_000, 1 << 26, 1 << 27];

    public Random Random { get; } = new(seed);

    /// <summary>One to four mutations of a copy of <paramref name="original"/>.</summary>
    public byte[] Mutate(byte[] original)
    {
        var file = (byte[])original.Clone();
        var count = Random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            file = MutateOnce(file, Random.Next(6));
        }

        return file;
    }

    /// <summary>Writes an interesting value over the field of <paramref name="width"/> bytes at <paramref name="offset"/>.</summary>
    public void Forge(byte[] file, int offset, int width, bool bigEndian = false)
    {
        var value = Interesting[Random.Next(Interesting.Length)] + Random.Next(-1, 2);
        var span = file.AsSpan(offset, width);
        switch (width)
        {
            case 2 when bigEndian: BinaryPrimitives.WriteInt16BigEndian(span, (short)value); break;
            case 2: BinaryPrimitives.WriteInt16LittleEndian(span, (short)value); break;
            case 4 when bigEndian: BinaryPrimitives.WriteInt32BigEndian(span, (int)value); break;
            case 4: BinaryPrimitives.WriteInt32LittleEndian(span, (int)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(span, value); break;
        }
    }

    private byte[] MutateOnce(byte[] file, int kind)
    {
        if (file.Length == 0)
        {
            return [(byte)Random.Next(256)];
        }

        switch (kind)
        {
            case 0:
                file[Random.Next(file.Length)] ^= (byte)(1 << Random.Next(8));
                return file;
            case 1:
                file[Random.Next(file.Length)] = (byte)Random.Next(256);
                return file;
            case 2:
                return file[..Random.Next(file.Length)];
            case 3:
            {
                var at = Random.Next(file.Length + 1);
                var extra = new byte[Random.Next(1, 9)];
                Random.NextBytes(extra);
                return [.. file[..at], .. extra, .. file[at..]];
            }

            case 4:
            {
                var at = Random.Next(file.Length);
                var length = Math.Min(file.Length - at, Random.Next(1, 17));
                return [.. file[..at], .. file[(at + length)..]];
            }

            default:
            {
                var width = new[] { 2, 4, 8 }[Random.Next(3)];
                if (file.Length >= width)
                {
                    Forge(file, Random.Next(file.Length - width + 1), width, bigEndian: Random.Next(2) == 0);
                }

                return file;
            }
        }
    }
}
