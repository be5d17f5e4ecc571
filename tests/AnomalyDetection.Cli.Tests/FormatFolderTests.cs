using System.Buffers.Binary;
using System.Text;
using AnomalyDetection.Engine;
using AnomalyDetection.Imaging;
using AnomalyDetection.ModelFiles;
using SkiaSharp;

namespace AnomalyDetection.Cli.Tests;

/// <summary>
/// Folders of DICOM files (half without an extension) and of JPEG files train through the tool exactly as PNG folders
/// holding the same pixels: the trained weights are bit-identical.
/// </summary>
public sealed class FormatFolderTests(SyntheticDataset data) : IClassFixture<SyntheticDataset>, IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose() => _folders.ForEach(f => Directory.Delete(f, recursive: true));

    [Fact]
    public async Task Train_DicomFolder_GivesTheModelOfThePngFolder()
    {
        var dicom = Convert("dicom", (image, path, index) =>
            File.WriteAllBytes(index % 2 == 0 ? path + ".dcm" : path, Dicom8Bit(image)));

        await AssertSameModelAsync(data.Root, dicom);
    }

    [Fact]
    public async Task Train_JpegFolder_GivesTheModelOfAPngFolderOfTheDecodedPixels()
    {
        var jpeg = Convert("jpeg", (image, path, index) => File.WriteAllBytes(path + (index % 2 == 0 ? ".jpg" : ".jpeg"), Jpeg(image)));
        // JPEG is lossy: the reference PNG folder holds what the JPEG decoder gives back.
        var decoded = Sibling("decoded");
        foreach (var file in Directory.EnumerateFiles(jpeg, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(decoded, Path.GetRelativePath(jpeg, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            ImageIO.SavePng(ImageIO.Load(file), Path.ChangeExtension(target, ".png"));
        }

        await AssertSameModelAsync(decoded, jpeg);
    }

    private async Task AssertSameModelAsync(string pngRoot, string otherRoot)
    {
        var options = TinyOptions.Write(data.PathFor("autoencoder.json"), TinyOptions.Autoencoder);
        var png = data.PathFor("png.adm");
        var other = data.PathFor("other.adm");

        var first = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", pngRoot, "--options", options, "--output", png);
        var second = await CliRun.RunAsync("train", "--detector", "autoencoder", "--data", otherRoot, "--options", options, "--output", other);
        var evaluate = await CliRun.RunAsync("evaluate", "--model", other, "--data", otherRoot, "--out", data.PathFor("evaluation"));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("image AUROC", evaluate.Output, StringComparison.Ordinal);
        var (_, a) = await ModelFile.ReadAsync(png);
        var (_, b) = await ModelFile.ReadAsync(other);
        Assert.All(a, p => Assert.Equal(TensorData.ToArray(p.Value), TensorData.ToArray(b[p.Key])));
    }

    /// <summary>Writes every image of the synthetic PNG data set in another format, in the same folder layout.</summary>
    private string Convert(string name, Action<ImageData, string, int> write)
    {
        var root = Sibling(name);
        var index = 0;
        foreach (var file in Directory.EnumerateFiles(data.Root, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(data.Root, file);
            if (relative.StartsWith("out", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(root, Path.ChangeExtension(relative, null));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            write(ImageIO.Load(file), target, index++);
        }

        return root;
    }

    /// <summary>A folder beside the data set's, deleted after the test.</summary>
    private string Sibling(string name)
    {
        var folder = Path.GetFullPath(Path.Combine(data.Root, "..", Path.GetFileName(data.Root) + "-" + name));
        _folders.Add(folder);
        return folder;
    }

    private static byte[] Gray8(ImageData image) =>
        [.. image.Channel(0).ToArray().Select(v => (byte)Math.Round(v * 255))];

    private static byte[] Jpeg(ImageData image)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        Gray8(image).CopyTo(bitmap.GetPixelSpan());
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return encoded.ToArray();
    }

    /// <summary>A minimal Part 10 file: explicit VR little endian, MONOCHROME2, 8 bits unsigned.</summary>
    private static byte[] Dicom8Bit(ImageData image)
    {
        var body = new MemoryStream();
        void Element(ushort group, ushort element, string vr, byte[] value)
        {
            if (value.Length % 2 == 1)
            {
                value = [.. value, vr is "UI" or "OB" ? (byte)0 : (byte)' '];
            }

            Span<byte> head = stackalloc byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(head, group);
            BinaryPrimitives.WriteUInt16LittleEndian(head[2..], element);
            Encoding.ASCII.GetBytes(vr, head[4..]);
            var longForm = vr is "OB" or "OW";
            if (longForm)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)value.Length);
                body.Write(head[..12]);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)value.Length);
                body.Write(head[..8]);
            }

            body.Write(value);
        }

        byte[] Text(string text) => Encoding.ASCII.GetBytes(text);
        byte[] UInt16(int value) => BitConverter.GetBytes((ushort)value);

        Element(0x0002, 0x0010, "UI", Text("1.2.840.10008.1.2.1"));
        var meta = body.ToArray();
        body.SetLength(0);
        Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length));
        var metaGroup = body.ToArray().Concat(meta).ToArray();
        body.SetLength(0);
        Element(0x0028, 0x0002, "US", UInt16(1));
        Element(0x0028, 0x0004, "CS", Text("MONOCHROME2"));
        Element(0x0028, 0x0010, "US", UInt16(image.Height));
        Element(0x0028, 0x0011, "US", UInt16(image.Width));
        Element(0x0028, 0x0100, "US", UInt16(8));
        Element(0x0028, 0x0101, "US", UInt16(8));
        Element(0x0028, 0x0102, "US", UInt16(7));
        Element(0x0028, 0x0103, "US", UInt16(0));
        Element(0x7FE0, 0x0010, "OB", Gray8(image));
        return [.. new byte[128], .. "DICM"u8.ToArray(), .. metaGroup, .. body.ToArray()];
    }
}
