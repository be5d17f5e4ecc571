using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AnomalyDetection.Imaging;

/// <summary>Encodes gray images as binary PGM (P5) and RGB images as binary PPM (P6), with maxval 255 or 65535.</summary>
internal static class PnmEncoder
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The image has alpha, the bit depth is not 8 or 16, or a sample is not finite.</exception>
    public static void Encode(ImageData image, int bitDepth, Stream output)
    {
        if (bitDepth is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "PGM/PPM output supports 8 or 16 bits per sample.");
        }

        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"PGM/PPM stores gray or RGB images, but this image has {image.Channels} channels; convert it first.", nameof(image));
        }

        SampleQuantizer.RequireFinite(image);
        var maxValue = (1 << bitDepth) - 1;
        var magic = image.Channels == 1 ? "P5" : "P6";
        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{magic}\n{image.Width} {image.Height}\n{maxValue}\n")));

        var bytesPerSample = bitDepth / 8;
        var plane = image.PixelCount;
        var pixels = image.Pixels;
        var row = new byte[image.Width * image.Channels * bytesPerSample];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                for (var c = 0; c < image.Channels; c++)
                {
                    var level = SampleQuantizer.Quantize(pixels[(c * plane) + (y * image.Width) + x], maxValue);
                    var at = ((x * image.Channels) + c) * bytesPerSample;
                    if (bytesPerSample == 1)
                    {
                        row[at] = (byte)level;
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(at), (ushort)level);
                    }
                }
            }

            output.Write(row);
        }
    }
}
