using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>Writes small DICOM Part 10 files element by element (a nested sequence of undefined length before the
/// pixel module, native pixel data), recording where the pixel module's fields sit so that tests can forge them.</summary>
public sealed class DicomBuilder
{
    public const string Implicit = "1.2.840.10008.1.2";
    public const string Explicit = "1.2.840.10008.1.2.1";
    public const string Deflated = "1.2.840.10008.1.2.1.99";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private readonly List<byte> _data = [];
    private readonly bool _explicit;

    private DicomBuilder(bool explicitVr) => _explicit = explicitVr;

    /// <summary>The data set offsets (from the start of the data set) of Rows, Columns, Bits Allocated, Bits Stored
    /// and the pixel data's length field.</summary>
    public Dictionary<string, int> Fields { get; } = [];

    /// <summary>A file of <paramref name="frames"/> frames of <paramref name="columns"/> × <paramref name="rows"/>
    /// patterned pixels; for the deflated syntax, <see cref="Fields"/> locate fields in the inflated data set.</summary>
    public static (byte[] File, DicomBuilder Builder) Image(string syntax, int columns, int rows, int samples = 1, int bits = 16, int frames = 1,
        bool signed = false, string? photometric = null)
    {
        var builder = new DicomBuilder(syntax != Implicit);
        builder.Text(0x0008, 0x0060, "CS", "OT");
        builder.Text(0x0010, 0x0010, "PN", "Fuzz^Patient");
        builder.UndefinedSequence(0x0008, 0x1140);
        builder.UInt16(0x0028, 0x0002, (ushort)samples, "samples");
        builder.Text(0x0028, 0x0004, "CS", photometric ?? (samples == 1 ? "MONOCHROME2" : "RGB"));
        if (samples == 3)
        {
            builder.UInt16(0x0028, 0x0006, 1, "planar");
        }

        if (frames > 1)
        {
            builder.Text(0x0028, 0x0008, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.UInt16(0x0028, 0x0010, (ushort)rows, "rows");
        builder.UInt16(0x0028, 0x0011, (ushort)columns, "columns");
        builder.UInt16(0x0028, 0x0100, (ushort)bits, "bitsAllocated");
        builder.UInt16(0x0028, 0x0101, (ushort)(bits == 16 ? 12 : 8), "bitsStored");
        builder.UInt16(0x0028, 0x0102, (ushort)(bits == 16 ? 11 : 7), "highBit");
        builder.UInt16(0x0028, 0x0103, (ushort)(signed ? 1 : 0), "signed");
        builder.Text(0x0028, 0x1050, "DS", "40\\80");
        builder.Text(0x0028, 0x1051, "DS", "400\\800");
        builder.Text(0x0028, 0x1052, "DS", "-1024");
        builder.Text(0x0028, 0x1053, "DS", "1.5");
        var pixels = new byte[columns * rows * samples * frames * (bits / 8)];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 37) + 11);
        }

        builder.Pixels(pixels, bits == 16 ? "OW" : "OB");
        return (builder.Build(syntax), builder);
    }

    /// <summary>A single-frame baseline JPEG file: <paramref name="jpeg"/> as the one fragment of encapsulated pixel
    /// data (after an empty Basic Offset Table), with the pixel module of an 8-bit image of its size.</summary>
    public static (byte[] File, DicomBuilder Builder) EncapsulatedJpeg(byte[] jpeg, int columns, int rows, int samples)
    {
        var builder = new DicomBuilder(explicitVr: true);
        builder.UInt16(0x0028, 0x0002, (ushort)samples, "samples");
        builder.Text(0x0028, 0x0004, "CS", samples == 1 ? "MONOCHROME2" : "YBR_FULL_422");
        builder.UInt16(0x0028, 0x0010, (ushort)rows, "rows");
        builder.UInt16(0x0028, 0x0011, (ushort)columns, "columns");
        builder.UInt16(0x0028, 0x0100, 8, "bitsAllocated");
        builder.UInt16(0x0028, 0x0101, 8, "bitsStored");
        builder.UInt16(0x0028, 0x0102, 7, "highBit");
        builder.UInt16(0x0028, 0x0103, 0, "signed");
        builder.Header(0x7FE0, 0x0010, "OB", uint.MaxValue);
        builder.Tag(0xFFFE, 0xE000);
        builder._data.AddRange(new byte[4]);
        builder.Tag(0xFFFE, 0xE000);
        var padded = jpeg.Length % 2 == 0 ? jpeg : [.. jpeg, 0];
        builder.Fields["fragmentLength"] = builder._data.Count;
        builder._data.AddRange(BitConverter.GetBytes((uint)padded.Length));
        builder._data.AddRange(padded);
        builder.Tag(0xFFFE, 0xE0DD);
        builder._data.AddRange(new byte[4]);
        return (builder.Build(JpegBaseline), builder);
    }

    /// <summary>Wraps a data set in the preamble, "DICM" and a file meta group naming <paramref name="syntax"/>.</summary>
    public static byte[] Part10(string syntax, byte[] dataSet)
    {
        var meta = new DicomBuilder(explicitVr: true);
        meta.Text(0x0002, 0x0010, "UI", syntax);
        var body = syntax == Deflated ? Deflate(dataSet) : dataSet;
        return [.. new byte[128], .. "DICM"u8, .. meta._data, .. body];
    }

    /// <summary>The offset in a Part 10 file of a field recorded at <paramref name="dataSetOffset"/> (not for deflated files).</summary>
    public static int FileOffset(byte[] file, int dataSetOffset) => 128 + 4 + 8 + MetaLength(file) + dataSetOffset;

    private static int MetaLength(byte[] file) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(132 + 6));

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }

    private byte[] Build(string syntax) => Part10(syntax, [.. _data]);

    private void Text(ushort group, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + (vr == "UI" ? "\0" : " "));
        Header(group, element, vr, (uint)bytes.Length);
        _data.AddRange(bytes);
    }

    private void UInt16(ushort group, ushort element, ushort value, string name)
    {
        Header(group, element, "US", 2);
        Fields[name] = _data.Count;
        _data.AddRange(BitConverter.GetBytes(value));
    }

    private void UndefinedSequence(ushort group, ushort element)
    {
        Header(group, element, "SQ", uint.MaxValue);
        Tag(0xFFFE, 0xE000);
        _data.AddRange(BitConverter.GetBytes(uint.MaxValue));
        Text(0x0008, 0x1150, "UI", "1.2.840.10008.5.1.4.1.1.7");
        Tag(0xFFFE, 0xE00D);
        _data.AddRange(new byte[4]);
        Tag(0xFFFE, 0xE0DD);
        _data.AddRange(new byte[4]);
    }

    private void Pixels(byte[] pixels, string vr)
    {
        Header(0x7FE0, 0x0010, vr, (uint)pixels.Length);
        Fields["pixelLength"] = _data.Count - 4;
        _data.AddRange(pixels);
    }

    private void Header(ushort group, ushort element, string vr, uint length)
    {
        Tag(group, element);
        if (!_explicit)
        {
            _data.AddRange(BitConverter.GetBytes(length));
        }
        else if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
        {
            _data.AddRange(Encoding.ASCII.GetBytes(vr));
            _data.AddRange(new byte[2]);
            _data.AddRange(BitConverter.GetBytes(length));
        }
        else
        {
            _data.AddRange(Encoding.ASCII.GetBytes(vr));
            _data.AddRange(BitConverter.GetBytes((ushort)length));
        }
    }

    private void Tag(ushort group, ushort element)
    {
        _data.AddRange(BitConverter.GetBytes(group));
        _data.AddRange(BitConverter.GetBytes(element));
    }
}
