using AnomalyDetection.Imaging;

namespace AnomalyDetection.Plotting.Tests;

/// <summary>A decoded PNG with 8-bit colour lookups, for asserting what a picture shows.</summary>
internal sealed class Picture
{
    private Picture(ImageData image) => Image = image;

    public ImageData Image { get; }

    public int Width => Image.Width;

    public int Height => Image.Height;

    /// <summary>Decodes the PNG with Core's decoder and, when PLOTTING_TEST_PICTURES names a folder, keeps a copy
    /// there under <paramref name="name"/> so that a person can look at what the tests drew.</summary>
    public static Picture Decode(byte[] png, string name)
    {
        var folder = Environment.GetEnvironmentVariable("PLOTTING_TEST_PICTURES");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
        }

        return new Picture(ImageIO.Decode(png, name));
    }

    public (byte Red, byte Green, byte Blue) At(int x, int y)
    {
        var channels = Image.Channels >= 3 ? 3 : 1;
        return (Sample(0, y, x), Sample(channels == 3 ? 1 : 0, y, x), Sample(channels == 3 ? 2 : 0, y, x));
    }

    /// <summary>How many pixels in the rectangle (all of the picture by default) have this colour, each channel within
    /// <paramref name="tolerance"/> (0: exactly).</summary>
    public int Count((byte, byte, byte) colour, int left = 0, int top = 0, int right = int.MaxValue, int bottom = int.MaxValue, int tolerance = 0)
    {
        var count = 0;
        for (var y = Math.Max(0, top); y < Math.Min(Height, bottom); y++)
        {
            for (var x = Math.Max(0, left); x < Math.Min(Width, right); x++)
            {
                count += Near(At(x, y), colour, tolerance) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>How many pixels are not white.</summary>
    public int CountNonWhite() => Image.PixelCount - Count((255, 255, 255));

    /// <summary>How many distinct colours the picture holds.</summary>
    public int DistinctColours()
    {
        var colours = new HashSet<(byte, byte, byte)>();
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                colours.Add(At(x, y));
            }
        }

        return colours.Count;
    }

    private static bool Near((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, int tolerance) =>
        Math.Abs(a.R - b.R) <= tolerance && Math.Abs(a.G - b.G) <= tolerance && Math.Abs(a.B - b.B) <= tolerance;

    private byte Sample(int channel, int y, int x) => (byte)Math.Round(Math.Clamp(Image[channel, y, x], 0f, 1f) * 255f);
}
