using System.Numerics.Tensors;
using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>
/// The decision threshold and min-max normalisation of one kind of score (image scores or anomaly-map pixels),
/// fitted on validation data and stored with the model.
/// </summary>
/// <remarks>
/// <para>A score is anomalous when it is at or above <see cref="Threshold"/>. Normalisation maps a raw score s to
/// ((s − <see cref="Threshold"/>) / (<see cref="Maximum"/> − <see cref="Minimum"/>)) + 0.5, clamped to [0, 1], so the
/// threshold always maps to exactly 0.5 and the validation range spans a width of 1.</para>
/// <para>The threshold is independent of the range: <see cref="WithThreshold"/> and <see cref="WithSensitivity"/>
/// move it without refitting anything. Decide with <see cref="IsAnomalous"/> on the raw score; a normalised score
/// within rounding of 0.5 cannot tell the two sides apart.</para>
/// </remarks>
public sealed record ScoreCalibration
{
    /// <summary>Creates a calibration from its parts, e.g. a manual threshold or one read back from a model file.</summary>
    /// <param name="threshold">The raw-score decision threshold.</param>
    /// <param name="minimum">The smallest validation score.</param>
    /// <param name="maximum">The largest validation score; greater than <paramref name="minimum"/>.</param>
    /// <param name="source">How the threshold was chosen.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite, or <paramref name="maximum"/> is not greater
    /// than <paramref name="minimum"/>.</exception>
    [JsonConstructor]
    public ScoreCalibration(double threshold, double minimum, double maximum, ThresholdSource source)
    {
        RequireFinite(threshold, nameof(threshold));
        RequireFinite(minimum, nameof(minimum));
        RequireFinite(maximum, nameof(maximum));
        if (maximum <= minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"The score range must have positive width, but maximum {maximum} is not above minimum {minimum}.");
        }

        Threshold = threshold;
        Minimum = minimum;
        Maximum = maximum;
        Source = source;
    }

    /// <summary>The raw-score decision threshold: scores at or above it are anomalous.</summary>
    public double Threshold { get; }

    /// <summary>The smallest validation score, the lower end of the normalisation range.</summary>
    public double Minimum { get; }

    /// <summary>The largest validation score, the upper end of the normalisation range.</summary>
    public double Maximum { get; }

    /// <summary>How <see cref="Threshold"/> was chosen.</summary>
    public ThresholdSource Source { get; }

    /// <summary>Whether a raw score is anomalous (at or above <see cref="Threshold"/>, or not a finite number).</summary>
    /// <param name="score">A raw score.</param>
    /// <returns><c>true</c> when <paramref name="score"/> ≥ <see cref="Threshold"/> or is NaN or infinite: a score the
    /// network could not compute (overflowing weights or input) is never taken for normal.</returns>
    public bool IsAnomalous(double score) => !double.IsFinite(score) || score >= Threshold;

    /// <summary>Maps a raw score into [0, 1] with the threshold at exactly 0.5.</summary>
    /// <param name="score">A raw score.</param>
    /// <returns>((score − threshold) / (maximum − minimum)) + 0.5, clamped to [0, 1]; 1 for NaN or infinite scores.</returns>
    public double Normalize(double score) =>
        double.IsFinite(score) ? Math.Clamp(((score - Threshold) / (Maximum - Minimum)) + 0.5, 0, 1) : 1;

    /// <summary>Normalises many scores, e.g. an anomaly map, as <see cref="Normalize(double)"/> does, in float32.</summary>
    /// <param name="scores">The raw scores.</param>
    /// <param name="destination">Receives the normalised scores; may be <paramref name="scores"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="scores"/>.</exception>
    public void Normalize(ReadOnlySpan<float> scores, Span<float> destination)
    {
        if (destination.Length < scores.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values but {scores.Length} scores were given.", nameof(destination));
        }

        destination = destination[..scores.Length];

        // Subtracting first keeps a score equal to the threshold at exactly 0 · scale + 0.5 = 0.5.
        TensorPrimitives.Subtract(scores, (float)Threshold, destination);
        TensorPrimitives.Multiply(destination, (float)(1.0 / (Maximum - Minimum)), destination);
        TensorPrimitives.Add(destination, 0.5f, destination);
        TensorPrimitives.Max(destination, 0f, destination);
        TensorPrimitives.Min(destination, 1f, destination);
    }

    /// <summary>A copy with a new threshold and the same normalisation range; nothing is refitted.</summary>
    /// <param name="threshold">The new raw-score threshold.</param>
    /// <returns>The adjusted calibration, with <see cref="ThresholdSource.Manual"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not finite.</exception>
    public ScoreCalibration WithThreshold(double threshold) => new(threshold, Minimum, Maximum, ThresholdSource.Manual);

    /// <summary>
    /// A copy whose threshold moves to the raw score that this calibration normalises to 1 − <paramref name="sensitivity"/>:
    /// 0.5 keeps the threshold, higher values flag more scores, lower values fewer. The new threshold then maps to
    /// 0.5 in turn.
    /// </summary>
    /// <param name="sensitivity">The sensitivity in [0, 1].</param>
    /// <returns>The adjusted calibration, with <see cref="ThresholdSource.Manual"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sensitivity"/> is outside [0, 1].</exception>
    public ScoreCalibration WithSensitivity(double sensitivity)
    {
        if (!(sensitivity is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "The sensitivity must lie in [0, 1].");
        }

        return WithThreshold(Threshold + ((0.5 - sensitivity) * (Maximum - Minimum)));
    }

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"The {name} must be finite.");
        }
    }
}
