using ScottPlot;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>DejaVu Sans, carried inside this assembly and registered with ScottPlot under a family name of its own,
/// so that every label renders the same on a machine with no installed fonts (a fresh container) as on a desktop.</summary>
internal static class EmbeddedFont
{
    /// <summary>The family name the plots ask ScottPlot for. It names no installed font, so only the embedded
    /// resolver can answer it and a system font never substitutes silently.</summary>
    public const string Family = "AnomalyDetection DejaVu Sans";

    private static readonly Lazy<SKTypeface> LazyRegular = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> LazyBold = new(() => Load("DejaVuSans-Bold.ttf"));
    private static readonly Lock RegistrationLock = new();
    private static bool _registered;

    /// <summary>The regular face.</summary>
    public static SKTypeface Regular => LazyRegular.Value;

    /// <summary>The bold face.</summary>
    public static SKTypeface Bold => LazyBold.Value;

    /// <summary>Adds the resolver to ScottPlot's global list once; later calls do nothing.</summary>
    public static void EnsureRegistered()
    {
        lock (RegistrationLock)
        {
            if (_registered)
            {
                return;
            }

            // First in the list: ScottPlot asks resolvers in order and the family name is ours alone anyway.
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            _registered = true;
        }
    }

    /// <summary>Makes every text element of <paramref name="plot"/> (titles, axis labels, ticks, legend) use the
    /// embedded font. Call it after the last plottable is added: it restyles what exists.</summary>
    public static void Apply(Plot plot)
    {
        EnsureRegistered();
        plot.Font.Set(Family);
        plot.Legend.FontName = Family;
    }

    private static SKTypeface Load(string file)
    {
        var name = $"AnomalyDetection.Plotting.Fonts.{file}";
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded font resource '{name}' is missing from {typeof(EmbeddedFont).Assembly.GetName().Name}.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"The embedded font resource '{name}' could not be read as a font.");
    }
}
