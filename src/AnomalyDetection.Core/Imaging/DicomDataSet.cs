using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AnomalyDetection.Imaging;

/// <summary>
/// The top-level elements of a little-endian DICOM data set that locate and describe the pixel data, found by
/// walking every element (and skipping every sequence, defined or undefined length) up to the pixel data.
/// </summary>
/// <remarks>Only the image pixel module's attributes are kept, as (offset, length) pairs into the data: nothing else
/// is decoded, so patient attributes never reach a message, a log or an output.</remarks>
internal sealed class DicomDataSet
{
    /// <summary>The tag of Pixel Data (7FE0,0010).</summary>
    public const uint PixelDataTag = 0x7FE00010;

    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimiterTag = 0xFFFEE00D;
    private const uint SequenceDelimiterTag = 0xFFFEE0DD;
    private const uint UndefinedLength = 0xFFFFFFFF;

    // Nesting deeper than real files use is refused, so that forged data cannot exhaust the stack.
    private const int MaxDepth = 16;

    private readonly Dictionary<uint, (int Offset, int Length)> _elements = [];

    private DicomDataSet(string? path) => Path = path;

    /// <summary>The file name for error messages.</summary>
    public string? Path { get; }

    /// <summary>The Pixel Data value's position when its length is defined (native pixel data).</summary>
    public (int Offset, int Length)? PixelData { get; private set; }

    /// <summary>The encapsulated fragments of Pixel Data of undefined length (compressed data), Basic Offset Table excluded.</summary>
    public List<(int Offset, int Length)>? Fragments { get; private set; }

    /// <summary>Whether the data set holds float or double pixel data instead of integers.</summary>
    public bool FloatPixelData { get; private set; }

    /// <summary>Walks the data set from <paramref name="start"/>, stopping after the pixel data.</summary>
    /// <exception cref="InvalidImageException">An element is malformed or runs past the end of the data.</exception>
    public static DicomDataSet Read(ReadOnlySpan<byte> data, int start, bool explicitVr, string? path)
    {
        var set = new DicomDataSet(path);
        var position = start;
        while (position < data.Length)
        {
            var element = set.ReadHeader(data, position, explicitVr);
            position = element.ValueOffset;
            if (element.Tag == PixelDataTag)
            {
                if (element.Length == UndefinedLength)
                {
                    set.Fragments = set.ReadFragments(data, position);
                }
                else
                {
                    set.PixelData = (position, (int)element.Length);
                }

                return set;
            }

            if (element.Tag is 0x7FE00008 or 0x7FE00009)
            {
                set.FloatPixelData = true;
                return set;
            }

            if (element.Length == UndefinedLength)
            {
                position = set.SkipSequence(data, position, explicitVr && element.Vr != "UN", element.Tag, 0);
                continue;
            }

            if (element.Tag >> 16 == 0x0028 || element.Tag is 0x00180088)
            {
                set._elements[element.Tag] = (position, (int)element.Length);
            }

            position += (int)element.Length;
        }

        return set;
    }

    /// <summary>Reads the file meta information (group 0002, always explicit VR little endian) after the 128-byte
    /// preamble and the "DICM" prefix, and returns its Transfer Syntax UID.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="path">The file name for error messages.</param>
    /// <param name="end">Where the data set starts.</param>
    /// <exception cref="InvalidImageException">The meta information is malformed or has no transfer syntax.</exception>
    public static string ReadTransferSyntax(ReadOnlySpan<byte> data, string? path, out int end)
    {
        var reader = new DicomDataSet(path);
        var position = DicomDecoder.PrefixLength;
        string? syntax = null;
        while (data.Length - position >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(data[position..]) == 0x0002)
        {
            var element = reader.ReadHeader(data, position, explicitVr: true);
            if (element.Length == UndefinedLength)
            {
                throw new InvalidImageException(path, $"file meta element {Name(element.Tag)} has an undefined length.");
            }

            if (element.Tag == 0x00020010)
            {
                syntax = Printable(Encoding.ASCII.GetString(data.Slice(element.ValueOffset, Math.Min((int)element.Length, 64)))).Trim(' ', '?');
            }

            position = element.ValueOffset + (int)element.Length;
        }

        end = position;
        return string.IsNullOrEmpty(syntax)
            ? throw new InvalidImageException(path, "the file meta information has no Transfer Syntax UID (0002,0010).")
            : syntax;
    }

    /// <summary>The US value of <paramref name="tag"/>, or <paramref name="missing"/> if the element is absent or empty.</summary>
    public int UInt16(ReadOnlySpan<byte> data, uint tag, int missing)
    {
        if (!_elements.TryGetValue(tag, out var at) || at.Length == 0)
        {
            return missing;
        }

        if (at.Length < 2)
        {
            throw new InvalidImageException(Path, $"element {Name(tag)} holds {at.Length} byte(s), too few for an unsigned short.");
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(at.Offset, 2));
    }

    /// <summary>The trimmed text of <paramref name="tag"/>, or <see langword="null"/> if absent.</summary>
    public string? Text(ReadOnlySpan<byte> data, uint tag) =>
        _elements.TryGetValue(tag, out var at) ? Encoding.ASCII.GetString(data.Slice(at.Offset, Math.Min(at.Length, 256))).Trim(' ', '\0') : null;

    /// <summary>The first value of a decimal or integer string (DS, IS), or <see langword="null"/> if absent or empty.</summary>
    /// <exception cref="InvalidImageException">The value is not a finite number.</exception>
    public double? Number(ReadOnlySpan<byte> data, uint tag, int index = 0)
    {
        var text = Text(data, tag);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var values = text.Split('\\');
        if (index >= values.Length || values[index].Trim().Length == 0)
        {
            return null;
        }

        if (!double.TryParse(values[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InvalidImageException(Path, $"element {Name(tag)} holds '{Printable(values[index])}', which is not a finite number.");
        }

        return value;
    }

    /// <summary>Formats a tag as (gggg,eeee).</summary>
    public static string Name(uint tag) => string.Create(CultureInfo.InvariantCulture, $"({tag >> 16:X4},{tag & 0xFFFF:X4})");

    private static string Printable(string text) =>
        new([.. text.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    private ElementHeader ReadHeader(ReadOnlySpan<byte> data, int position, bool explicitVr)
    {
        if (data.Length - position < 8)
        {
            throw new InvalidImageException(Path, $"an element header at byte {position} needs 8 bytes but {data.Length - position} remain; the file is truncated.");
        }

        var tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[position..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
        string vr;
        uint length;
        int valueOffset;
        if (!explicitVr || tag >> 16 == 0xFFFE)
        {
            // Items and delimiters have no VR even in explicit VR data sets.
            vr = string.Empty;
            length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            valueOffset = position + 8;
        }
        else
        {
            var first = data[position + 4];
            var second = data[position + 5];
            if (!char.IsAsciiLetterUpper((char)first) || !char.IsAsciiLetterUpper((char)second))
            {
                throw new InvalidImageException(Path, string.Create(CultureInfo.InvariantCulture, $"element {Name(tag)} at byte {position} has VR bytes 0x{first:X2}{second:X2}, not two capital letters; the data set is corrupt."));
            }

            vr = new string([(char)first, (char)second]);
            if (vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV")
            {
                if (data.Length - position < 12)
                {
                    throw new InvalidImageException(Path, $"the header of element {Name(tag)} at byte {position} needs 12 bytes; the file is truncated.");
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 8)..]);
                valueOffset = position + 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 6)..]);
                valueOffset = position + 8;
            }
        }

        if (length != UndefinedLength && length > (uint)(data.Length - valueOffset))
        {
            throw new InvalidImageException(Path, $"element {Name(tag)} at byte {position} declares {length} bytes but only {data.Length - valueOffset} remain; the file is truncated.");
        }

        if (length == UndefinedLength && explicitVr && tag >> 16 != 0xFFFE && tag != PixelDataTag && vr is not ("SQ" or "UN"))
        {
            throw new InvalidImageException(Path, $"element {Name(tag)} at byte {position} has VR {vr}, which cannot have an undefined length.");
        }

        return new ElementHeader(tag, vr, length, valueOffset);
    }

    /// <summary>Skips the items of a sequence of undefined length; returns the position after its delimiter.</summary>
    private int SkipSequence(ReadOnlySpan<byte> data, int position, bool explicitVr, uint owner, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new InvalidImageException(Path, $"sequences are nested more than {MaxDepth} deep; the data set is corrupt.");
        }

        while (true)
        {
            var item = ReadHeader(data, position, explicitVr: false);
            position = item.ValueOffset;
            switch (item.Tag)
            {
                case SequenceDelimiterTag:
                    return position;
                case ItemTag when item.Length == UndefinedLength:
                    position = SkipItem(data, position, explicitVr, depth + 1);
                    break;
                case ItemTag:
                    position += (int)item.Length;
                    break;
                default:
                    throw new InvalidImageException(Path, $"sequence {Name(owner)} holds element {Name(item.Tag)} at byte {position - 8} where an item or the sequence delimiter belongs.");
            }
        }
    }

    /// <summary>Skips the elements of an item of undefined length; returns the position after its delimiter.</summary>
    private int SkipItem(ReadOnlySpan<byte> data, int position, bool explicitVr, int depth)
    {
        while (true)
        {
            var element = ReadHeader(data, position, explicitVr);
            position = element.ValueOffset;
            if (element.Tag == ItemDelimiterTag)
            {
                return position;
            }

            position = element.Length == UndefinedLength
                ? SkipSequence(data, position, explicitVr && element.Vr != "UN", element.Tag, depth)
                : position + (int)element.Length;
        }
    }

    private List<(int Offset, int Length)> ReadFragments(ReadOnlySpan<byte> data, int position)
    {
        var fragments = new List<(int Offset, int Length)>();
        var first = true;
        while (true)
        {
            var item = ReadHeader(data, position, explicitVr: false);
            position = item.ValueOffset;
            if (item.Tag == SequenceDelimiterTag)
            {
                return fragments;
            }

            if (item.Tag != ItemTag || item.Length == UndefinedLength)
            {
                throw new InvalidImageException(Path, $"the encapsulated pixel data holds {Name(item.Tag)} at byte {position - 8} where a fragment of defined length belongs.");
            }

            if (!first)
            {
                fragments.Add((position, (int)item.Length));
            }

            first = false;
            position += (int)item.Length;
        }
    }

    private readonly record struct ElementHeader(uint Tag, string Vr, uint Length, int ValueOffset);
}
