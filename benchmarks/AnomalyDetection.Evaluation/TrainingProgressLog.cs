using System.Globalization;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Evaluation;

/// <summary>Writes a progress line about every 30 seconds (and at the last step) and remembers the last report.</summary>
/// <param name="writer">Where the lines go (standard error).</param>
/// <param name="label">The run, at the start of each line.</param>
internal sealed class TrainingProgressLog(TextWriter writer, string label) : IProgress<TrainingProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private TimeSpan _lastWritten = TimeSpan.Zero;

    /// <summary>The latest report, or null before the first step.</summary>
    public TrainingProgress? Last { get; private set; }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        Last = value;
        if (value.Elapsed - _lastWritten < Interval && value.Step != value.TotalSteps)
        {
            return;
        }

        _lastWritten = value.Elapsed;
        var losses = string.Join(" ", value.Losses.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}={l.Value:F4}")));
        var validation = value.ValidationMetric is { } metric ? string.Create(CultureInfo.InvariantCulture, $" validation={metric:F4}") : "";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: step {value.Step}/{value.TotalSteps} epoch {value.Epoch} {value.Elapsed:hh\\:mm\\:ss} (eta {value.EstimatedRemaining?.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture) ?? "-"}) {losses}{validation}"));
    }
}
