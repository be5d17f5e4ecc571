using ScottPlot;
using SkiaSharp;

namespace AnomalyDetection.Plotting;

/// <summary>Answers ScottPlot's font requests for <see cref="EmbeddedFont.Family"/> with the embedded faces and
/// declines every other family, leaving it to the resolvers after it.</summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        Resolve(fontName, weight >= FontWeight.SemiBold);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Resolve(fontName, bold);

    private static SKTypeface? Resolve(string fontName, bool bold) =>
        string.Equals(fontName, EmbeddedFont.Family, StringComparison.Ordinal)
            ? (bold ? EmbeddedFont.Bold : EmbeddedFont.Regular)
            : null;
}
