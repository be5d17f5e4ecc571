using System.Globalization;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Evaluation;

/// <summary>Writes a progress line about every 30 seconds, after every validation and at the last step; remembers the
/// last report and the run's validation curve.</summary>
/// <param name="writer">Where the lines go (standard error).</param>
/// <param name="label">The run, at the start of each line.</param>
internal sealed class TrainingProgressLog(TextWriter writer, string label) : IProgress<TrainingProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly List<ValidationPoint> _validations = [];
    private TimeSpan _lastWritten = TimeSpan.Zero;

    /// <summary>The latest report, or null before the first step.</summary>
    public TrainingProgress? Last { get; private set; }

    /// <summary>Every validation of the run so far, in step order.</summary>
    public IReadOnlyList<ValidationPoint> Validations => _validations;

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        Last = value;
        if (value is { Validated: true, ValidationMetric: { } validated })
        {
            _validations.Add(new ValidationPoint(value.Step, validated));
        }

        if (value.Elapsed - _lastWritten < Interval && value.Step != value.TotalSteps && !value.Validated)
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
