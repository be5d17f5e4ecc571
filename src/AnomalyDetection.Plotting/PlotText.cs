using System.Globalization;

namespace AnomalyDetection.Plotting;

/// <summary>Number formats shared by the pictures: invariant culture, so a picture reads the same on every machine.</summary>
internal static class PlotText
{
    /// <summary>A metric in [0, 1] with three decimals (AUROC 0.865).</summary>
    public static string Metric(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A score or threshold with four significant digits, whatever its scale (0.01234, 1234, 1.234E-05).</summary>
    public static string Score(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A rate as a percentage with one decimal (62.5%).</summary>
    public static string Percent(double rate) => (100 * rate).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>Formats with the invariant culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
