using System.Globalization;

namespace AnomalyDetection.Evaluation;

/// <summary>The mean and sample standard deviation of one metric over a group's seeds.</summary>
/// <param name="Count">The number of values.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StandardDeviation">Their sample (n − 1) standard deviation, or null for a single value.</param>
internal sealed record Summary(int Count, double Mean, double? StandardDeviation)
{
    /// <summary>Summarises the values; null when there are none.</summary>
    public static Summary? Of(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var mean = present.Average();
        double? sd = present.Count > 1 ? Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Count - 1)) : null;
        return new Summary(present.Count, mean, sd);
    }

    /// <summary>"mean ± sd" with three decimals; "—" for the deviation of a single value.</summary>
    public string Format(string number = "F3") =>
        $"{Mean.ToString(number, CultureInfo.InvariantCulture)} ± {StandardDeviation?.ToString(number, CultureInfo.InvariantCulture) ?? "—"}";
}
