namespace AnomalyDetection.Imaging;

/// <summary>Erosion, largest-region selection and hole filling on row-major binary masks.</summary>
internal static class BinaryMorphology
{
    /// <summary>Keeps a pixel when every pixel within <paramref name="radius"/> (a disc) is set; pixels beyond the
    /// border count as unset, so regions touching the border shrink from it too.</summary>
    public static bool[] Erode(ReadOnlySpan<bool> mask, int width, int height, int radius)
    {
        var output = new bool[mask.Length];
        var squared = radius * radius;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                output[(y * width) + x] = mask[(y * width) + x] && DiscIsSet(mask, width, height, x, y, radius, squared);
            }
        }

        return output;
    }

    /// <summary>The largest 8-connected region of <paramref name="mask"/> (the first found on a tie); empty when
    /// nothing is set.</summary>
    public static bool[] LargestComponent(ReadOnlySpan<bool> mask, int width, int height)
    {
        var labels = new int[mask.Length];
        var sizes = new List<int>();
        var output = new bool[mask.Length];
        if (ConnectedComponents.Label(mask, height, width, labels, sizes) == 0)
        {
            return output;
        }

        var largest = sizes.IndexOf(sizes.Max());
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = labels[i] == largest;
        }

        return output;
    }

    /// <summary>Sets every unset pixel that no unset path (8-connected) links to the image border.</summary>
    public static bool[] FillHoles(ReadOnlySpan<bool> mask, int width, int height)
    {
        var background = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            background[i] = !mask[i];
        }

        var labels = new int[mask.Length];
        ConnectedComponents.Label(background, height, width, labels, []);
        var outside = new HashSet<int>();
        for (var x = 0; x < width; x++)
        {
            outside.Add(labels[x]);
            outside.Add(labels[((height - 1) * width) + x]);
        }

        for (var y = 0; y < height; y++)
        {
            outside.Add(labels[y * width]);
            outside.Add(labels[(y * width) + width - 1]);
        }

        var output = new bool[mask.Length];
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = mask[i] || !outside.Contains(labels[i]);
        }

        return output;
    }

    private static bool DiscIsSet(ReadOnlySpan<bool> mask, int width, int height, int x, int y, int radius, int squared)
    {
        for (var dy = -radius; dy <= radius; dy++)
        {
            for (var dx = -radius; dx <= radius; dx++)
            {
                if ((dx * dx) + (dy * dy) > squared)
                {
                    continue;
                }

                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= width || ny >= height || !mask[(ny * width) + nx])
                {
                    return false;
                }
            }
        }

        return true;
    }
}
