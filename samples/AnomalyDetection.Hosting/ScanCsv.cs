using System.Globalization;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Hosting;

/// <summary>The rows of the results file: one image, its score and its label.</summary>
internal static class ScanCsv
{
    /// <summary>The header row.</summary>
    public const string Header = "file,score,normalized_score,is_anomalous,p_value";

    /// <summary>One result row; numbers use the invariant culture so the file reads the same everywhere.</summary>
    public static string Row(string file, AnomalyPrediction prediction) => string.Join(',',
        Quote(file),
        prediction.Score.ToString("R", CultureInfo.InvariantCulture),
        prediction.NormalizedScore.ToString("R", CultureInfo.InvariantCulture),
        prediction.IsAnomalous ? "true" : "false",
        prediction.PValue?.ToString("R", CultureInfo.InvariantCulture) ?? "");

    // File names may hold commas or quotes; RFC 4180 quoting keeps the columns intact.
    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
