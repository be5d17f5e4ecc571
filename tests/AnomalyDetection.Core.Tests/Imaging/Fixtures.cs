namespace AnomalyDetection.Core.Tests.Imaging;

/// <summary>The committed fixture files and the formulas (shared with Fixtures/generate.py) that produced their samples.</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The stored integer sample of channel <paramref name="c"/> at (x, y) for a given bit depth.</summary>
    public static int Sample(int x, int y, int c, int depth)
    {
        var h = ((x * 73) + (y * 151) + (c * 211) + 17) * 40503 % 65536;
        return h >> (16 - depth);
    }

    public static int PaletteSize(int depth) => depth == 8 ? 200 : 1 << depth;

    public static int PaletteIndex(int x, int y, int depth) => Sample(x, y, 0, depth) % PaletteSize(depth);

    public static (int R, int G, int B) PaletteEntry(int i) => (((i * 29) + 3) % 256, ((i * 71) + 5) % 256, ((i * 113) + 7) % 256);

    public static int PaletteAlpha(int i) => ((i * 47) + 1) % 256;

    /// <summary>The stored value of voxel (x, y, z) of volume t before the per-file transform.</summary>
    public static int NiftiValue(int x, int y, int z, int t = 0) => x + (4 * y) + (12 * z) + (100 * t);
}
